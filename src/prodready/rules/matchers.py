"""Small shared questions rules ask about calls and nodes (one place, never copied)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from prodready.analysis.semantic import SemanticModel


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


_REMOVING_METHODS = frozenset({"remove", "discard", "pop", "popitem", "popleft", "clear"})


def removed_name(node: ast.AST) -> str | None:
    """The plain name a statement or call takes entries out of: `del d[k]`, `xs.remove(x)`,
    `.discard` / `.pop` / `.popitem` / `.clear` -> "xs"; else None."""
    removing = isinstance(node, ast.Call) and (
        isinstance(node.func, ast.Attribute) and node.func.attr in _REMOVING_METHODS
    )
    return mutated_name(node) if removing or isinstance(node, ast.Delete) else None


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
BACKOFF_RETRYERS = frozenset({"backoff.on_exception", "backoff.on_predicate"})
STAMINA_RETRYERS = frozenset({"stamina.retry", "stamina.retry_context"})
# every retry controller a rule recognises: decorators, Retrying loops, retry contexts
RETRYERS = TENACITY_RETRYERS | BACKOFF_RETRYERS | STAMINA_RETRYERS
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


# Bot API calls that answer the user of the update being handled (aiogram, PTB shortcuts).
USER_REPLY_METHODS = frozenset(
    {
        "answer",
        "reply",
        "reply_text",
        "reply_html",
        "reply_markdown",
        "reply_markdown_v2",
        "edit_text",
        "edit_message_text",
        "send_message",
    }
)
# Calls whose failure changes nothing that matters: Telegram cosmetics (delete or edit a
# message, pin, a chat action) and closing or stopping a resource.
BEST_EFFORT_METHODS = frozenset(
    {
        "delete",
        "delete_message",
        "delete_messages",
        "edit_text",
        "edit_caption",
        "edit_reply_markup",
        "edit_message_text",
        "edit_message_caption",
        "edit_message_reply_markup",
        "pin",
        "unpin",
        "pin_chat_message",
        "unpin_chat_message",
        "send_chat_action",
        "delete_webhook",
        "close",
        "aclose",
        "disconnect",
        "stop",
        "shutdown",
        "cancel",
        "unlink",
    }
)


# Methods that send a SQL string to the database: SQLAlchemy sessions / connections
# (`execute`, `exec_driver_sql`), asyncpg connections and pools, DB-API cursors, encode/databases.
SQL_RUNNER_METHODS = frozenset(
    {"execute", "executemany", "exec_driver_sql", "fetch", "fetchrow", "fetchval", "fetchmany"}
    | {"fetch_all", "fetch_one", "fetch_val", "cursor"}
)
_SQL_SHAPES = re.compile(
    r"^[\s(]*(select|insert|create|alter|drop|truncate|merge)\b"
    r"|^[\s(]*with\s+(recursive\s+)?\w+(\s*\([^)]*\))?\s+as\s*\("
    r"|\bselect\b[\s\S]+?\bfrom\b|\binsert\s+into\b|\bupdate\s+\S+\s+set\b|\bdelete\s+from\b",
    re.I,
)


def looks_like_sql(text: str) -> bool:
    """True when `text` reads as a SQL statement: it starts with a statement keyword (SELECT,
    INSERT, CREATE, ALTER, DROP, TRUNCATE, MERGE, `WITH x AS (`) or holds the shape of one
    (`SELECT … FROM`, `INSERT INTO`, `UPDATE t SET`, `DELETE FROM`); any case."""
    return bool(_SQL_SHAPES.search(text))


# A Telegram bot token: the bot's numeric id, a colon, 35 URL-safe base64 characters.
_BOT_TOKEN = re.compile(r"(?:(?<![\w-])|(?<=bot))(\d{8,12}):([A-Za-z0-9_-]{35})(?![\w-])")
_PLACEHOLDER_WORDS = re.compile(
    r"example|token|your|fake|dummy|test|sample|placeholder|changeme|secret|xxxx", re.I
)


def _ascending_run(text: str, length: int) -> bool:
    run = 1
    for index in range(1, len(text)):
        run = run + 1 if ord(text[index]) == ord(text[index - 1]) + 1 else 1
        if run >= length:
            return True
    return False


def _placeholder_token(bot_id: str, secret: str) -> bool:
    """Documentation-style tokens: the id is one repeated digit or counts up (`123456789`);
    the secret has fewer than 12 distinct characters, five equal characters in a row, six
    that count up (`abcdef`, `123456`) or a placeholder word. Random 35-character secrets
    show none of these (about 27 distinct characters on average)."""
    if len(set(bot_id)) == 1 or "123456789012".startswith(bot_id):
        return True
    if len(set(secret)) < 12 or re.search(r"(.)\1{4}", secret):
        return True
    return _ascending_run(secret, 6) or bool(_PLACEHOLDER_WORDS.search(secret))


def find_bot_token(text: str) -> str | None:
    """The first Telegram bot token written in `text` (alone or inside a URL such as
    `https://api.telegram.org/bot<token>/sendMessage`), placeholders excepted."""
    for match in _BOT_TOKEN.finditer(text):
        if not _placeholder_token(match[1], match[2]):
            return match[0]
    return None


def mask_bot_token(token: str) -> str:
    """What a report may show of a token: the first four characters of the bot id."""
    return token[:4] + "…"


_TOKEN_LIKE = re.compile(r"\d{8,12}:[A-Za-z0-9_-]{8,}")


def redact_bot_tokens(text: str) -> str:
    """`text` with anything shaped like a bot token, whole or cut short (a truncated
    snippet), masked as `mask_bot_token` does."""
    return _TOKEN_LIKE.sub(lambda match: mask_bot_token(match[0]), text)


def retried_code(
    function: ast.FunctionDef | ast.AsyncFunctionDef, semantic: SemanticModel
) -> ast.AST | None:
    """The retried code around the node being walked: the innermost `for attempt in
    Retrying(...)` / `with stamina.retry_context(...)` block inside `function`, else `function`
    itself when a retry decorator wraps it; None when nothing retries it."""
    for node in reversed(semantic.ancestors):
        if node is function:
            break
        heads: list[ast.AST] = []
        if isinstance(node, ast.For | ast.AsyncFor):
            heads = [node.iter]
        elif isinstance(node, ast.With | ast.AsyncWith):
            heads = [item.context_expr for item in node.items]
        for head in heads:
            if isinstance(head, ast.Call) and semantic.qualified_name(head.func) in RETRYERS:
                return node
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if semantic.qualified_name(target) in RETRYERS:
            return function
    return None
