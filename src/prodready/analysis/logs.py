"""Logging calls: which calls log, at what level, and whether a call names the update, user or
request it is about (an identifier in its arguments).

`is_logging_call` is the one table of logger methods rules and extractors share.
"""

from __future__ import annotations

import ast
import re

from prodready.analysis.names import dotted_name

# Logging and error-reporting calls: a handler that makes one has not swallowed its error.
_LEVELS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log")
# (structlog's bound loggers also have awaitable twins: `await log.aexception(...)`)
LOG_METHODS = frozenset({*_LEVELS, *(f"a{level}" for level in _LEVELS), "msg"})
# The levels an incident is read from.
_PROBLEM_LEVELS = ("warning", "warn", "error", "exception", "critical", "fatal")
PROBLEM_METHODS = frozenset({*_PROBLEM_LEVELS, *(f"a{level}" for level in _PROBLEM_LEVELS)})
_REPORTING_CALLS = frozenset(
    {
        "print",
        "warnings.warn",
        "traceback.print_exc",
        "traceback.print_exception",
        "traceback.format_exc",
        "traceback.format_exception",
        "sentry_sdk.capture_exception",
        "sentry_sdk.capture_message",
        "sentry_sdk.capture_event",
    }
)
_LOGGER_RECEIVER = re.compile(r"(^|_)(log|logger|logging|structlog)s?(_|$)", re.I)
_LOGGER_FACTORIES = ("getLogger", "get_logger", "getChild", "bind", "opt")


def is_logger(expr: ast.AST) -> bool:
    """True for an expression that names a logger: `log`, `self._logger`, `logging`,
    `logging.getLogger(__name__)`, `structlog.get_logger().bind(x=1)`, `logger.opt(...)`."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr not in _LOGGER_FACTORIES:
            return False
        expr = expr.func.value
    if isinstance(expr, ast.Attribute):
        return bool(_LOGGER_RECEIVER.search(expr.attr))
    return isinstance(expr, ast.Name) and bool(_LOGGER_RECEIVER.search(expr.id))


def is_logging_call(call: ast.Call, name: str | None) -> bool:
    """True when `call` logs or reports: `logger.exception(...)`, `log.error`, `self._log.info`,
    `logging.warning`, `logging.getLogger(__name__).error`, structlog / loguru loggers,
    `sentry_sdk.capture_exception()`, `traceback.print_exc()`, `print`. `name` is the call's
    qualified (or dotted) name."""
    if name in _REPORTING_CALLS or (name or "").startswith(("logging.", "structlog.", "loguru.")):
        return True
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    return is_logger(func.value)


def problem_level(call: ast.Call) -> str | None:
    """ "error" / "warning" / "exception" / ... for a logger call at a level an incident is read
    from (structlog's `aerror` is "error"); None for other calls and lower levels."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in PROBLEM_METHODS:
        return None
    if not is_logger(func.value):
        return None
    level = func.attr if func.attr in _PROBLEM_LEVELS else func.attr[1:]
    return "warning" if level == "warn" else level


# Words of a name that say it holds who or what a log line is about.
_IDENTIFIER_WORDS = frozenset(
    {"id", "ids", "uid", "uuid", "pk", "user", "users", "userid", "username", "chat", "chatid"}
    | {"update", "order", "orders", "payment", "payments", "request", "req", "invoice"}
    | {"tg", "telegram", "customer", "transaction", "charge", "correlation", "trace", "email"}
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def names_identifier(name: str) -> bool:
    """True when a dotted name or key has an identifier word: `user_id`, `message.from_user.id`,
    `chatId`, `tg_id`, `request`, `order.number` (not `valid`, `provider`, `text`)."""
    return any(word.lower() in _IDENTIFIER_WORDS for word in _WORD.findall(name))


def mentions_identifier(call: ast.Call) -> bool:
    """True when the values a log call interpolates or attaches name an identifier: an argument
    or f-string value (`user_id`, `message.chat.id`, `data["order_id"]`), a keyword's name
    (structlog's `log.error("failed", user_id=uid)`) or a key of `extra={...}`."""
    roots: list[ast.AST] = list(call.args)
    for kw in call.keywords:
        if kw.arg is not None and kw.arg != "extra" and names_identifier(kw.arg):
            return True
        if kw.arg is not None and kw.arg not in ("exc_info", "stack_info", "stacklevel"):
            roots.append(kw.value)
    return any(_names_identifier_in(root) for root in roots)


def extra_names_identifier(call: ast.Call) -> bool:
    """True when a log call attaches an identifier as a record field: `extra={"user_id": ...}`."""
    return any(kw.arg == "extra" and _names_identifier_in(kw.value) for kw in call.keywords)


def _names_identifier_in(root: ast.AST) -> bool:
    for node in ast.walk(root):
        if isinstance(node, ast.Name | ast.Attribute):
            text = dotted_name(node) or (node.attr if isinstance(node, ast.Attribute) else "")
            if names_identifier(text):
                return True
        elif isinstance(node, ast.Subscript | ast.Dict):
            keys = node.keys if isinstance(node, ast.Dict) else [node.slice]
            if any(_identifier_key(key) for key in keys):
                return True
        elif isinstance(node, ast.Call) and _looks_up_key(node):
            return True
    return False


def _looks_up_key(call: ast.Call) -> bool:
    """`data.get("order_id")`, `getattr(event, "update_id", None)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "get" and call.args:
        return _identifier_key(call.args[0])
    if isinstance(func, ast.Name) and func.id == "getattr" and len(call.args) > 1:
        return _identifier_key(call.args[1])
    return False


def _identifier_key(key: ast.AST | None) -> bool:
    return (
        isinstance(key, ast.Constant) and isinstance(key.value, str) and names_identifier(key.value)
    )


def message_text(call: ast.Call, limit: int = 60) -> str:
    """The message a log call writes, as written (an f-string's values in braces), shortened."""
    if not call.args:
        return ""
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        text = first.value
    elif isinstance(first, ast.JoinedStr):
        text = ast.unparse(first)[2:-1]
    else:
        text = ast.unparse(first)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TRACEBACK_METHODS = frozenset({"exception", "aexception"})
_ERROR_METHODS = frozenset({"error", "critical", "fatal", "aerror", "acritical", "afatal"})
_QUIET_METHODS = frozenset({"debug", "adebug", "trace"})
_ERROR_REPORTS = frozenset({"sentry_sdk.capture_exception", "sentry_sdk.capture_message"})


def log_level(call: ast.Call, name: str | None) -> str | None:
    """How a logging call records an error: "traceback" (`log.exception(...)`, `exc_info=`
    truthy below DEBUG, loguru `logger.opt(exception=...)`, `traceback.print_exc()`),
    "error" (ERROR or above without it, or a Sentry capture), "other" (a lower level), None
    when `call` is no logging call (see `is_logging_call`)."""
    if name in ("traceback.print_exc", "traceback.print_exception"):
        return "traceback"
    if name in _ERROR_REPORTS:
        return "error"
    if not is_logging_call(call, name) or not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    if method in _QUIET_METHODS:
        return "other"
    receiver = call.func.value
    opt = receiver if isinstance(receiver, ast.Call) else None
    traced = any(
        keyword.arg in ("exc_info", "exception")
        and not (isinstance(keyword.value, ast.Constant) and not keyword.value.value)
        for keyword in (*call.keywords, *(opt.keywords if opt is not None else ()))
    )
    if method in _TRACEBACK_METHODS or traced:
        return "traceback"
    return "error" if method in _ERROR_METHODS else "other"
