"""Per-file facts about log context: the warning-or-worse log calls of each function (with
whether each names the user / update / request), and code that binds context to every log
line or error event (see LogCall and LogContext in model.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.logs import (
    extra_names_identifier,
    is_logger,
    mentions_identifier,
    message_text,
    names_identifier,
    problem_level,
)
from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import Evidence, FileFacts, LogCall, LogContext
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body, iter_statements

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BINDERS = frozenset({"bind", "contextualize", "new"})
_SCOPE_SETTERS = frozenset({"set_tag", "set_tags", "set_context", "set_extra"})


def _call_kind(call: ast.Call, name: str) -> str | None:
    """The kind of context mechanism a call is, if any."""
    last = name.rsplit(".", 1)[-1]
    if last in ("bind_contextvars", "bound_contextvars"):
        return "contextvars"
    if name == "logging.LoggerAdapter":
        return "adapter"
    if last == "setLogRecordFactory":
        return "record-filter"
    if name.startswith("opentelemetry.instrumentation.logging"):
        return "otel-logging"
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if problem_level(call) is not None or func.attr in ("info", "debug"):
        return "extra" if is_logger(func.value) and extra_names_identifier(call) else None
    if func.attr in _BINDERS and is_logger(func.value) and mentions_identifier(call):
        return "bind"
    on_sentry = name.startswith("sentry_sdk.") or "scope" in (dotted_name(func.value) or "")
    if on_sentry and func.attr == "set_user":
        return "error-scope"
    if on_sentry and func.attr in _SCOPE_SETTERS and (mentions_identifier(call) or _keyed(call)):
        return "error-scope"
    return None


def _keyed(call: ast.Call) -> bool:
    """`set_tag("user_id", ...)`: a string key that names an identifier."""
    return any(
        isinstance(a, ast.Constant) and isinstance(a.value, str) and names_identifier(a.value)
        for a in call.args[:1]
    )


def _adds_record_fields(node: ast.ClassDef, parsed: ParsedFile) -> str | None:
    """ "adapter" for a LoggerAdapter subclass; "record-filter" for a class whose `filter(self,
    record)` sets an attribute of the record (a `logging.Filter` adding fields)."""
    bases = {parsed.semantic.imports.qualified_name(base) or "" for base in node.bases}
    if "logging.LoggerAdapter" in bases:
        return "adapter"
    for method in node.body:
        if not isinstance(method, _FUNCTIONS) or method.name != "filter":
            continue
        params = method.args.args
        record = params[1].arg if len(params) > 1 else None
        for inner in iter_body(method):
            if _sets_attribute_of(inner, record):
                return "record-filter"
    return None


# LogRecord's own attributes: a filter that rewrites them (redacts `msg`, trims `args`)
# adds no context.
_RECORD_ATTRIBUTES = frozenset(
    {"name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module"}
    | {"exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs"}
    | {"relativeCreated", "thread", "threadName", "processName", "process", "message"}
    | {"asctime", "taskName"}
)


def _sets_attribute_of(node: ast.AST, name: str | None) -> bool:
    """`record.user_id = ...` / `setattr(record, "user_id", ...)`: a field that is not one of
    LogRecord's own."""
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(
            isinstance(t, ast.Attribute)
            and isinstance(t.value, ast.Name)
            and t.value.id == name
            and t.attr not in _RECORD_ATTRIBUTES
            for t in targets
        )
    if isinstance(node, ast.Call) and dotted_name(node.func) == "setattr" and node.args:
        first, field = node.args[0], node.args[1] if len(node.args) > 1 else None
        own = isinstance(field, ast.Constant) and field.value in _RECORD_ATTRIBUTES
        return isinstance(first, ast.Name) and first.id == name and not own
    return False


def _scopes(
    tree: ast.Module,
) -> Iterator[tuple[ast.Module | ast.FunctionDef | ast.AsyncFunctionDef, int]]:
    yield tree, 0
    for node in iter_statements(tree):
        if isinstance(node, _FUNCTIONS):
            yield node, node.lineno


def extract(parsed: ParsedFile) -> FileFacts:
    path = parsed.source.path
    calls: list[LogCall] = []
    context: list[LogContext] = []
    for scope, line in _scopes(parsed.tree):
        for node in iter_body(scope):
            if isinstance(node, ast.ClassDef):
                kind = _adds_record_fields(node, parsed)
                if kind is not None:
                    context.append(LogContext(kind, Evidence(path, node.lineno)))
                continue
            if not isinstance(node, ast.Call):
                continue
            where = Evidence(path, node.lineno)
            name = parsed.semantic.imports.qualified_name(node.func) or dotted_name(node.func)
            kind = _call_kind(node, name or "")
            if kind is not None:
                context.append(LogContext(kind, where))
            level = problem_level(node) if line else None
            if level is not None:
                calls.append(
                    LogCall(where, line, level, message_text(node), mentions_identifier(node))
                )
    return FileFacts(
        path=path, module=parsed.source.module, log_calls=tuple(calls), log_context=tuple(context)
    )
