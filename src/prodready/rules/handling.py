"""What an `except` clause does with the error it caught: logs it, re-raises it, or drops it
(silently, with a constant fallback, or by only answering the caller). Shared by the rules
about error handling (never a rule module itself)."""

from __future__ import annotations

import ast
import re
from typing import Literal

from prodready.analysis import flow
from prodready.analysis.logs import is_logging_call, log_level
from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_subtree
from prodready.rules.matchers import BEST_EFFORT_METHODS, USER_REPLY_METHODS

Drop = Literal["silent", "fallback", "answer"]
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
BROAD_EXCEPTIONS = frozenset(
    {"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"}
)
# Functions that release resources: `close`, `aclose`, `on_shutdown`, `app_cleanup`, `__aexit__`.
_CLEANUP = re.compile(
    r"_*(on_)?(a?close|shutdown|cleanup|teardown|dispose|disconnect|stop)"
    r"|\w*_(shutdown|cleanup|teardown)|__aexit__|__del__"
)
_RESPONDERS = ("fastapi.", "starlette.", "aiohttp.web")


def catches_broadly(handler: ast.ExceptHandler, semantic: SemanticModel) -> bool:
    """Bare `except:`, `except Exception`, `except BaseException`, or a tuple holding one."""
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(semantic.qualified_name(kind) in BROAD_EXCEPTIONS for kind in kinds)


def _call(node: ast.AST | None) -> ast.Call | None:
    node = node.value if isinstance(node, ast.Await) else node
    return node if isinstance(node, ast.Call) else None


def answers_caller(statement: ast.stmt, semantic: SemanticModel) -> bool:
    """`await message.answer(...)` / `update.message.reply_text(...)`, `return
    JSONResponse(...)` / `web.json_response(...)`, `raise HTTPException(...)`: the caller is
    told something failed (aiohttp's and Starlette's HTTP exceptions are responses, not logged)."""
    value = statement.exc if isinstance(statement, ast.Raise) else getattr(statement, "value", None)
    call = _call(value)
    name = semantic.call_name(call) if call is not None else None
    if call is None or name is None:
        return False
    if isinstance(statement, ast.Expr):
        return isinstance(call.func, ast.Attribute) and call.func.attr in USER_REPLY_METHODS
    last = name.rsplit(".", 1)[-1]
    if isinstance(statement, ast.Return):
        return last.endswith(("Response", "json_response"))
    responder = name.startswith(_RESPONDERS) and last.startswith("HTTP")
    return isinstance(statement, ast.Raise) and (responder or last == "HTTPException")


def dropped(handler: ast.ExceptHandler, semantic: SemanticModel) -> Drop | None:
    """How the handler drops its error: "silent" (only `pass`, `...`, `continue`, `break`,
    `return`, `return None`), "fallback" (`return <constant>`), "answer" (only answers the
    caller, see `answers_caller`); None when it logs, raises or does anything else."""
    calls = (n for n in iter_subtree(handler) if isinstance(n, ast.Call))
    if any(is_logging_call(call, semantic.call_name(call)) for call in calls):
        return None
    kinds: set[Drop] = {"silent"}
    for statement in handler.body:
        value = getattr(statement, "value", None)
        if isinstance(statement, ast.Pass | ast.Continue | ast.Break) or (
            isinstance(statement, ast.Expr | ast.Return) and isinstance(value, ast.Constant | None)
        ):
            returned = getattr(value, "value", None) if isinstance(statement, ast.Return) else None
            kinds.add("silent" if returned is None else "fallback")
        elif answers_caller(statement, semantic):
            kinds.add("answer")
        else:
            return None
    return "answer" if "answer" in kinds else "fallback" if "fallback" in kinds else "silent"


def best_effort(statement: ast.Try | ast.TryStar, function: FunctionNode) -> bool:
    """True when failure of the `try` block matters little: the function cleans up (`close`,
    `shutdown`, `__aexit__`...), the block awaits a task the function cancelled, or every call
    it makes is cosmetic (delete / edit a message, pin, a chat action) or closes something."""
    if _CLEANUP.fullmatch(function.name) or flow.awaits_cancelled(statement.body, function):
        return True
    nodes = [node for part in statement.body for node in iter_subtree(part, same_scope=True)]
    calls = [node for node in nodes if isinstance(node, ast.Call)]
    cosmetic = [call for call in calls if _best_effort_call(call)]
    # `edit_text(_("Thanks"))`, `edit_text(text, reply_markup=kb.as_markup())`: a plain call
    # on constants only (a translation, a keyboard) builds the cosmetic call's arguments and is
    # part of it; `edit_text(render(menu))` renders data and may fail on its own
    awaited = {id(node.value) for node in nodes if isinstance(node, ast.Await)}
    arguments = {
        id(inner)
        for call in cosmetic
        for argument in (*call.args, *(keyword.value for keyword in call.keywords))
        for inner in ast.walk(argument)
        if isinstance(inner, ast.Call) and _on_constants(inner) and id(inner) not in awaited
    }
    return bool(cosmetic) and all(
        _best_effort_call(call) or id(call) in arguments for call in calls
    )


def _on_constants(call: ast.Call) -> bool:
    values = (*call.args, *(keyword.value for keyword in call.keywords))
    return all(isinstance(value, ast.Constant) for value in values)


def _best_effort_call(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in BEST_EFFORT_METHODS


_PARSERS = frozenset(
    {
        "int",
        "float",
        "Decimal",
        "UUID",
        "loads",
        "json",
        "post",
        "form",
        "body",
        "text",
        "model_validate",
        "model_validate_json",
        "parse_obj",
        "parse_raw",
        "strptime",
        "fromisoformat",
        "split",
        "strip",
        "get",
        "de_json",
    }
)


_READERS = frozenset({"json", "post", "form", "body", "text", "read"})  # awaited: the request's


def only_parses_input(statement: ast.Try | ast.TryStar) -> bool:
    """True when the `try` block only parses what a user or client sent (`await
    request.json()`, `int(message.text)`, `Model.model_validate(data)`): an error there is bad
    input, and answering the sender (a 400, "send a number") is the handling."""
    nodes = [node for part in statement.body for node in iter_subtree(part, same_scope=True)]
    calls = [node for node in nodes if isinstance(node, ast.Call)]
    awaited = {id(n.value) for n in nodes if isinstance(n, ast.Await)}
    simple = all(isinstance(part, ast.Assign | ast.AnnAssign | ast.Expr) for part in statement.body)
    return (
        simple
        and len(statement.body) <= 3
        and bool(calls)
        and all(_callee(call) in (_READERS if id(call) in awaited else _PARSERS) for call in calls)
    )


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def catches(handler: ast.ExceptHandler, names: frozenset[str], semantic: SemanticModel) -> bool:
    """The clause catches broadly or names one of `names` (compared by their last part)."""
    if catches_broadly(handler, semantic) or handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((dotted_name(kind) or "").rsplit(".", 1)[-1] in names for kind in kinds)


def caught_names(handler: ast.ExceptHandler) -> frozenset[str]:
    """The last parts of the exception types a clause names (`Exception`, `TelegramBadRequest`)."""
    if handler.type is None:
        return frozenset({"BaseException"})
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return frozenset((dotted_name(kind) or "?").rsplit(".", 1)[-1] for kind in kinds)


def traceback_log(handler: ast.ExceptHandler, semantic: SemanticModel) -> ast.Call | None:
    """The first call of the clause that logs the error with its traceback at INFO or above:
    `log.exception(...)`, `log.error(..., exc_info=True)`, loguru's `logger.exception(...)` /
    `logger.opt(exception=e).error(...)`, structlog's `.exception(...)`. A log in a nested
    `except` is about the error that clause caught (a failed clean-up), not this one."""
    stack: list[ast.AST] = list(reversed(handler.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and log_level(node, semantic.call_name(node)) == "traceback":
            return node
        if not isinstance(node, (ast.ExceptHandler, *_NESTED_SCOPES)):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return None


def logs_error(nodes: list[ast.AST], semantic: SemanticModel) -> ast.Call | None:
    """The first call among `nodes` that logs at ERROR or above (with or without the
    traceback) or reports to Sentry: what makes a second record or a second alert."""
    for node in nodes:
        if isinstance(node, ast.Call) and log_level(node, semantic.call_name(node)) in (
            "traceback",
            "error",
        ):
            return node
    return None


def reraises(handler: ast.ExceptHandler) -> ast.Raise | None:
    """The clause's last statement re-raises what it caught: a bare `raise` or `raise e`
    (`raise Other(...) from e` is a new, wrapped error and is not counted)."""
    last = handler.body[-1] if handler.body else None
    if not isinstance(last, ast.Raise) or last.cause is not None:
        return None
    exc = last.exc
    if exc is None or (isinstance(exc, ast.Name) and exc.id == handler.name):
        return last
    return None
