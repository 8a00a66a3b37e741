"""What project functions do to the world, read from the call graph's resolved call names:
commit a database transaction, call an external API (reads and writes), publish to a queue,
send a Telegram message — and the flows that commit *and* write elsewhere (dual writes).

Call names are the call graph's: resolved ("httpx.AsyncClient.post",
"sqlalchemy.ext.asyncio.AsyncSession.commit") or unresolved ("*.commit", "*.post"). An
unresolved `*.post` / `*.put` / ... counts as an HTTP request only in a file that imports an
HTTP client library.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from prodready.analysis.project.build import Project
from prodready.analysis.project.model import FunctionInfo

HTTP_LIBRARIES = ("httpx", "aiohttp", "requests")
_CLIENTS = {
    "httpx.AsyncClient": "httpx",
    "httpx.Client": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "aiohttp.client.ClientSession": "aiohttp",
    "requests.Session": "requests",
}
_WRITES = frozenset({"post", "put", "patch", "delete"})
_READS = frozenset({"get", "head", "options"})
_EITHER = frozenset({"request", "stream"})  # the method is an argument the call graph drops
# Project functions whose names say they change something (a client's `create_user`).
_WRITE_VERBS: tuple[str, ...] = (
    "create",
    "update",
    "delete",
    "add",
    "remove",
    "set_",
    "extend",
    "activate",
)
_WRITE_VERBS += ("enable", "disable", "reset", "revoke", "cancel", "refund", "charge", "pay")
# Provider SDKs (top-level import names) whose calls are requests to the provider; calls
# of the payment and messaging ones that create, refund, send... change state there.
PAYMENT_SDKS = ("stripe", "yookassa", "aiocryptopay", "yoomoney", "twilio", "sendgrid")
AI_SDKS = ("openai", "anthropic", "mistralai", "groq", "google.genai", "google.generativeai")
_SDK_WRITE_WORDS: tuple[str, ...] = (
    "create",
    "refund",
    "capture",
    "cancel",
    "charge",
    "send",
    "transfer",
)
_SDK_WRITE_WORDS += ("payout", "confirm")
# Third-party client classes whose methods are API requests, and the packages whose
# clients are databases, queues, storage or Telegram itself (not third-party APIs).
_CLIENT_CLASS = re.compile(r"[A-Z]\w*(Client|Api|API|SDK)")
_NOT_API_CLIENTS = frozenset(
    {"httpx", "aiohttp", "requests", "redis", "motor", "pymongo", "elasticsearch", "minio"}
    | {"aiogram", "telegram", "pyrogram", "telethon", "aiokafka", "nats", "aio_pika", "kombu"}
    | {"sqlalchemy", "asyncpg", "clickhouse_connect", "aioch", "boto3", "aioboto3", "google"}
    | {"arq", "taskiq", "celery", "apscheduler", "fastapi", "starlette", "socketio"}
)
# Calls that hand work to a queue: by method when the name is specific to task queues, by
# library for generic names (`publish` is also every in-process event bus's method).
_QUEUE_METHODS = frozenset({"delay", "apply_async", "send_task", "enqueue_job", "kiq"})
_QUEUE_LIBRARIES = ("aio_pika.", "aiokafka.", "nats.", "faststream.", "kombu.", "redis.")
_QUEUE_LIBRARY_METHODS = frozenset({"publish", "basic_publish", "xadd", "send_and_wait", "send"})
# Method names too common to trust an unresolved `*.name` call-graph link on.
_GENERIC = frozenset(
    {"get", "post", "put", "patch", "delete", "send", "run", "call", "execute", "update"}
    | {"create", "add", "remove", "close", "start", "stop", "process", "handle", "save", "load"}
    | {"set", "fetch", "items", "keys", "values", "append", "format", "json", "read", "write"}
    | {"open", "publish", "commit", "refresh", "flush", "scalar", "scalars", "all", "first"}
    | {"one", "check", "validate", "build", "parse", "render", "notify", "request", "__call__"}
)
TELEGRAM_SENDS = frozenset(
    {"send_message", "send_photo", "send_document", "send_video", "send_invoice"}
    | {"send_media_group", "copy_message", "forward_message", "send_animation", "send_audio"}
)
MAX_DEPTH = 3
EXTERNAL = frozenset({"http-write", "http-read", "http-request", "sdk-write", "sdk-read"})
_EXTERNAL_KINDS = EXTERNAL | {"sdk-client"}
# Effects that are writes only when a function on the way is named for one.
_UNSURE = frozenset({"http-request", "sdk-client"})
_COMPUTES: tuple[str, ...] = (
    "encrypt",
    "decrypt",
    "sign",
    "verify",
    "convert",
    "translate",
    "render",
    "get_",
)
_COMPUTES += ("validate", "calculate", "estimate", "preview", "lookup", "search", "fetch")
_TELEMETRY = ("track", "analytics", "metric", "telemetry", "amplitude", "mixpanel", "posthog")


@dataclass(frozen=True, slots=True)
class Effect:
    """kind: "commit" | "http-write" | "http-read" | "http-request" (method not known) |
    "sdk-write" | "sdk-read" | "sdk-client"
    (a third-party API client built) | "queue" | "telegram"; label: how a message names it
    ("POST (httpx)", "yookassa.Payment.create");
    call: the call name as the call graph holds it."""

    kind: str
    label: str
    call: str

    @property
    def external(self) -> bool:
        """A request to a third party (not the database, not Telegram), or building the
        client of a third-party API (its calls may not resolve)."""
        return self.kind in _EXTERNAL_KINDS

    @property
    def writes_elsewhere(self) -> bool:
        """A change outside the database that a rollback cannot undo."""
        return self.kind in {"http-write", "sdk-write", "queue"}


def _api_client(owner: str) -> bool:
    """A method of a third-party API client class (`kryptoexpress.AsyncKryptoExpressClient`,
    `some_sdk.PaymentsApi`): not a database, queue or Telegram client."""
    parts = owner.split(".")
    if len(parts) < 2 or parts[0] in _NOT_API_CLIENTS or owner.startswith("*"):
        return False
    return any(_CLIENT_CLASS.fullmatch(part) for part in parts[1:])


def _requests(owner: str, method: str) -> bool:
    """An SDK call that sends a request: not a constructor, a builder or a model."""
    builder = "Builder" in owner or ".domain." in owner or ".models." in owner
    setup = method[:1].isupper() or method.startswith(("set_", "build", "to_", "add_", "with_"))
    return not (builder or setup)


def classify(call: str, http_file: bool, local: frozenset[str] = frozenset()) -> Effect | None:
    """The effect of one call name; `http_file`: the calling file imports an HTTP client;
    `local`: the project's top-level packages (their classes are not third-party clients)."""
    owner, _, method = call.rpartition(".")
    if method == "commit" and owner:
        return Effect("commit", "commit", call)
    library = _CLIENTS.get(owner) or (owner in HTTP_LIBRARIES and owner) or None
    if library is None and owner == "*" and http_file and method in {*_WRITES, "request"}:
        library = "client"
    if library:
        if method in _WRITES:
            return Effect("http-write", f"{method.upper()} ({library})", call)
        if method in _EITHER:
            return Effect("http-request", f"{method}() ({library})", call)
        return (
            Effect("http-read", f"{method.upper()} ({library})", call) if method in _READS else None
        )
    for sdk in (*PAYMENT_SDKS, *AI_SDKS):
        if call.startswith(sdk + ".") and call.count(".") >= 2 and _requests(owner, method):
            writes = sdk in PAYMENT_SDKS and any(w in method.lower() for w in _SDK_WRITE_WORDS)
            return Effect("sdk-write" if writes else "sdk-read", call, call)
    if call.split(".", maxsplit=1)[0] not in local:
        if _api_client(owner) and _requests(owner, method):
            writes = any(w in method.lower() for w in _SDK_WRITE_WORDS)
            return Effect("sdk-write" if writes else "sdk-read", call, call)
        if _api_client(call):
            return Effect("sdk-client", f"the {method} API", call)
    if (method in _QUEUE_METHODS and owner) or (
        method in _QUEUE_LIBRARY_METHODS and call.startswith(_QUEUE_LIBRARIES)
    ):
        return Effect("queue", f"{method}()", call)
    if method in TELEGRAM_SENDS and owner:
        return Effect("telegram", method, call)
    return None


@dataclass(frozen=True, slots=True)
class Reach:
    """How a function reaches an effect: the chain of project functions (itself first)."""

    effect: Effect
    path: tuple[str, ...]

    @property
    def via(self) -> str:
        """ "" when direct, else " via a → b" with short names."""
        names = [name.rsplit(".", 1)[-1] for name in self.path[1:]]
        return f" via {' → '.join(names)}" if names else ""


@dataclass(frozen=True, slots=True)
class DualWrite:
    """A function whose flow commits and writes elsewhere: the first of each it reaches."""

    function: FunctionInfo
    commit: Reach
    write: Reach


def _telemetry(reach: Reach) -> bool:
    """A write to analytics or metrics (`track`, `send_event`) — losing one is acceptable —
    or a POST that only computes (`encrypt_link`, `validate_address`, `get_quote`)."""
    names = " ".join(name.rsplit(".", 1)[-1].lower().lstrip("_") for name in reach.path[1:])
    return any(word in names for word in _TELEMETRY) or any(
        name.rsplit(".", 1)[-1].lstrip("_").startswith(_COMPUTES) for name in reach.path[1:]
    )


def _named_write(reach: Reach) -> bool:
    """A request whose method is not known, or a third-party client whose calls do not
    resolve, counts as a write when a function on the way is named for one
    (`PanelClient.create_user` → `_request` → `session.request(...)`)."""
    return any(name.rsplit(".", 1)[-1].lstrip("_").startswith(_WRITE_VERBS) for name in reach.path)


def _relay(commit: Reach, write: Reach) -> bool:
    """An outbox or webhook relay: it delivers, then records the delivery (at least once, by
    design); `deliver_*`, `relay_*`, `*_outbox*` in the flow."""
    names = " ".join(n.rsplit(".", 1)[-1].lower() for n in (*commit.path, *write.path))
    return any(word in names for word in ("deliver", "relay", "outbox"))


def _roots(module: str, path: str) -> tuple[str, str]:
    """The top-level names a project module is imported by (its package, its folder)."""
    return module.split(".", maxsplit=1)[0], path.split("/", maxsplit=1)[0].removesuffix(".py")


class Effects:
    """The effects of every project function, directly and through its callees."""

    def __init__(self, project: Project) -> None:
        self.project = project
        http_files = {
            fact.path
            for fact in project.facts
            if any(name.split(".")[0] in HTTP_LIBRARIES for name in fact.imports)
        }
        local = frozenset(part for f in project.facts for part in _roots(f.module, f.path))
        self.http_files, self.local = http_files, local
        self.direct: dict[str, tuple[Effect, ...]] = {
            name: tuple(
                effect
                for call in info.calls
                if (effect := classify(call, info.evidence.path in http_files, local)) is not None
            )
            for name, info in project.calls.functions.items()
        }
        self._memo: dict[tuple[str, str, int], Reach | None] = {}

    def of_call(self, call: str, path: str) -> Effect | None:
        """The effect of one call name made in the file at `path`."""
        return classify(call, path in self.http_files, self.local)

    def reach(self, function: str, kinds: frozenset[str], depth: int = MAX_DEPTH) -> Reach | None:
        """The first effect of one of `kinds` that `function` makes or reaches."""
        key = (function, ",".join(sorted(kinds)), depth)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # a cycle reaches nothing new
        found = next(
            (Reach(e, (function,)) for e in self.direct.get(function, ()) if e.kind in kinds), None
        )
        if found is None and depth > 0:
            for callee in self.callees(function):
                deeper = self.reach(callee, kinds, depth - 1)
                if deeper is not None:
                    found = Reach(deeper.effect, (function, *deeper.path))
                    break
        self._memo[key] = found
        return found

    def callees(self, function: str) -> tuple[str, ...]:
        """The call graph's callees of `function` whose link can be trusted: calls resolved
        to the function itself, to its class (a constructor) or to a method of a project
        class; unresolved `*.name` calls only for names specific enough (`*.get` may be any
        dict's `get`, linked to the one project function named `get`)."""
        graph = self.project.calls
        info = graph.functions.get(function)
        if info is None:
            return ()
        methods = {
            c.rsplit(".", 1)[-1]
            for c in info.calls
            if c.rsplit(".", 1)[0] in graph.classes or c in graph.classes
        }
        return tuple(
            callee
            for callee in graph.callees(function)
            if callee in info.calls
            or (short := callee.rsplit(".", 1)[-1]) in methods
            or short == "__init__"
            or (short not in _GENERIC and ("_" in short.strip("_") or len(short) > 10))
        )

    def reachable(self, start: str, depth: int = MAX_DEPTH + 1) -> dict[str, str]:
        """Project functions `start` reaches through trusted links -> `start` (the entry)."""
        seen = {start: 0}
        queue = [start]
        while queue:
            current = queue.pop(0)
            if seen[current] < depth:
                for callee in self.callees(current):
                    if callee not in seen:
                        seen[callee] = seen[current] + 1
                        queue.append(callee)
        return dict.fromkeys(seen, start)

    @cached_property
    def request_paths(self) -> dict[str, str]:
        """Functions that run while an update or request is handled -> the handler, route or
        middleware that reaches them (the first, by name)."""
        model = self.project.model
        entries = [h.function for h in model.handlers if h.update != "errors"]
        entries += [r.function for r in model.routes]
        entries += [f"{h.function}.__call__" for h in model.hooks if h.kind == "middleware"]
        entries += [h.function for h in model.hooks if h.kind == "middleware"]
        found: dict[str, str] = {}
        for entry in sorted(set(entries)):
            if entry in self.project.calls.functions:
                for name in self.reachable(entry):
                    found.setdefault(name, entry)
        return found

    @cached_property
    def dual_writes(self) -> tuple[DualWrite, ...]:
        """The innermost functions whose flow both commits and writes elsewhere: no single
        callee already does both (that callee is the one reported); writes to analytics or
        metrics, and relays that deliver then record the delivery, do not count."""
        commits = frozenset({"commit"})
        writes = frozenset({"http-write", "sdk-write", "queue", "http-request", "sdk-client"})
        found: list[DualWrite] = []
        for name, info in self.project.calls.functions.items():
            commit, write = self.reach(name, commits), self.reach(name, writes)
            if commit is None or write is None or _telemetry(write) or _relay(commit, write):
                continue
            if write.effect.kind in _UNSURE and not _named_write(write):
                continue
            inner = any(
                self.reach(c, commits, MAX_DEPTH - 1) and self.reach(c, writes, MAX_DEPTH - 1)
                for c in self.callees(name)
                if c != name
            )
            if not inner:
                found.append(DualWrite(info, commit, write))
        return tuple(sorted(found, key=lambda d: d.function.evidence))

    def calling(self, predicate: str) -> Iterator[tuple[FunctionInfo, Effect]]:
        """Project functions with a direct effect of kind `predicate` ("external" for any
        third-party request), each with its first such effect."""
        for name, effects in self.direct.items():
            chosen = [
                e
                for e in effects
                if (e.external if predicate == "external" else e.kind == predicate)
            ]
            if chosen:
                yield self.project.calls.functions[name], chosen[0]
