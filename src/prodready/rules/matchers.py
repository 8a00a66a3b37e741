"""Small shared questions rules ask about calls and nodes (one place, never copied)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    """The `name=` keyword argument of a call, if written."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    """True when the call passes `**kwargs` (any keyword may hide inside)."""
    return any(kw.arg is None for kw in call.keywords)


def is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def keyword_or_star(call: ast.Call, name: str) -> bool:
    """True when `name=` is passed, or may be, through `**kwargs`."""
    return keyword(call, name) is not None or has_star_kwargs(call)


_CONTAINER_CALLS = {
    "dict": "dict",
    "list": "list",
    "set": "set",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "collections.Counter": "dict",
    "collections.deque": "deque",
}
_MUTATING_METHODS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "add",
        "update",
        "setdefault",
        "pop",
        "popitem",
        "remove",
        "discard",
        "clear",
        "appendleft",
        "popleft",
        "__setitem__",
    }
)


def mutable_container_kind(
    value: ast.AST, qualified_name: Callable[[ast.AST], str | None]
) -> str | None:
    """ "dict" / "list" / "set" / "deque" when `value` builds a mutable container, else None."""
    if isinstance(value, ast.Dict | ast.DictComp):
        return "dict"
    if isinstance(value, ast.List | ast.ListComp):
        return "list"
    if isinstance(value, ast.Set | ast.SetComp):
        return "set"
    if isinstance(value, ast.Call):
        return _CONTAINER_CALLS.get(qualified_name(value.func) or "")
    return None


def mutated_name(node: ast.AST) -> str | None:
    """The plain name a statement or call mutates in place: `d[k] = v`, `d[k] += 1`,
    `del d[k]`, `d.append(x)` / `.add` / `.update` / `.pop` ... -> "d"; else None."""
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = list(node.targets)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MUTATING_METHODS
    ):
        receiver = node.func.value
        if isinstance(receiver, ast.Subscript):  # `d[k].append(x)` changes what d holds
            receiver = receiver.value
        return receiver.id if isinstance(receiver, ast.Name) else None
    for target in targets:
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            return target.value.id
    return None


_SECRET_WORDS = re.compile(
    r"(secret|token|passw|pwd|api_?key|private_?key|signature|credential|auth_?key|dsn)", re.I
)
_NOT_SECRET = re.compile(
    r"(_id|_ids|_url|_uri|_type|_count|_len|_length|_name|_header|_at|_ttl|_expires?|_path|"
    r"_file|_limit|_prefix|_field|_param|_key_name|_env|_var)$|^(is_|has_|use_|max_|min_|n_)",
    re.I,
)


def looks_like_secret(name: str) -> bool:
    """True for names of secrets (`bot_token`, `WEBHOOK_SECRET`, `api_key`, `db_password`),
    false for names about them (`token_url`, `secret_header`, `api_key_name`, `has_token`)."""
    last = name.rsplit(".", 1)[-1]
    return bool(_SECRET_WORDS.search(last)) and not _NOT_SECRET.search(last)


def has_star_args(call: ast.Call) -> bool:
    """True when the call passes `*args` (any positional argument may hide inside)."""
    return any(isinstance(argument, ast.Starred) for argument in call.args)


# tenacity's retry controllers: `retry` (the decorator) builds one of the others.
TENACITY_RETRYERS = frozenset(
    {
        "tenacity.retry",
        "tenacity.Retrying",
        "tenacity.AsyncRetrying",
        "tenacity.asyncio.AsyncRetrying",
        "tenacity.TornadoRetrying",
        "tenacity.tornadoweb.TornadoRetrying",
    }
)
# BaseRetrying.__init__(sleep, stop, wait, retry, ...): the positions of its first parameters.
_TENACITY_POSITIONS = {"sleep": 0, "stop": 1, "wait": 2, "retry": 3}


def tenacity_argument(call: ast.Call, name: str) -> ast.expr | None:
    """The `stop` / `wait` / `retry` / `sleep` argument of a tenacity `retry(...)` /
    `Retrying(...)` call, written as a keyword or by position; None when not written."""
    found = keyword(call, name)
    if found is not None:
        return found.value
    index = _TENACITY_POSITIONS.get(name)
    if index is None or len(call.args) <= index:
        return None
    if len(call.args) == 1 and index == 0:
        return None  # `retry(fn)` is the bare decorator applied by hand
    return call.args[index]


def call_label(call: ast.Call, parent: ast.AST | None) -> str:
    """How the call reads in a message: `@backoff.on_exception(...)` when it decorates
    `parent`, else `httpx.get(...)` (the callee as written)."""
    callee = ast.unparse(call.func) if isinstance(call.func, ast.Name | ast.Attribute) else "..."
    decorators = getattr(parent, "decorator_list", ())
    prefix = "@" if any(decorator is call for decorator in decorators) else ""
    return f"{prefix}{callee}(...)"


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
# Module-level request functions and client / session classes -> the HTTP library.
HTTP_FUNCTIONS = {
    **{f"httpx.{verb}": "httpx" for verb in (*_HTTP_VERBS, "stream")},
    **{f"requests.{verb}": "requests" for verb in _HTTP_VERBS},
}
HTTP_CLIENT_CLASSES = {
    "httpx.AsyncClient": "httpx",
    "httpx.Client": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "aiohttp.client.ClientSession": "aiohttp",
    "requests.Session": "requests",
    "requests.sessions.Session": "requests",
    "requests.session": "requests",
}
# Methods of those clients that send (or build) one request and accept `timeout=`.
HTTP_CLIENT_METHODS = frozenset({*_HTTP_VERBS, "stream", "build_request"})


# Calls that return an asyncio event loop, and the loop classes (as annotations name them).
EVENT_LOOPS = frozenset(
    {
        "asyncio.get_event_loop",
        "asyncio.get_running_loop",
        "asyncio.new_event_loop",
        "asyncio.AbstractEventLoop",
        "asyncio.BaseEventLoop",
        "asyncio.events.AbstractEventLoop",
        "uvloop.new_event_loop",
        "uvloop.Loop",
    }
)
# What code calls the loop it keeps: `loop`, `self._loop`, aiogram 2's `dp.loop`.
LOOP_NAMES = frozenset({"loop", "_loop", "event_loop", "_event_loop"})
