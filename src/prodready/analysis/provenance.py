"""Where a value comes from, as far as one function shows: data a caller sent with a web
request (headers, query, cookies, a route's header parameter)."""

from __future__ import annotations

import ast

from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_REQUEST_PARTS = frozenset({"headers", "query_params", "cookies"})
_REQUEST_ONLY_PARTS = frozenset({"query", "form", "args", "json"})  # on a `request` object


def reads_request_data(node: ast.AST) -> bool:
    """`request.headers.get(...)`, `req.query["sig"]`, `Header(...)`-style request data."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Attribute) and inner.attr in _REQUEST_PARTS:
            return True
        if isinstance(inner, ast.Name) and inner.id in _REQUEST_PARTS:
            return True
        if isinstance(inner, ast.Attribute) and inner.attr in _REQUEST_ONLY_PARTS:
            base = (dotted_name(inner.value) or "").rsplit(".", 1)[-1]
            if base in ("request", "req"):
                return True
    return False


def comes_from_request(operand: ast.expr, function: FunctionNode | None) -> bool:
    """True when the operand carries what a caller sent: request data read here, a local
    assigned from request data, or a parameter of a web route / webhook function."""
    if reads_request_data(operand):
        return True
    if function is None or not isinstance(operand, ast.Name):
        return False
    for statement in iter_body(function):
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == operand.id for t in statement.targets
        ):
            return reads_request_data(statement.value)
    arguments = [a.arg for a in (*function.args.args, *function.args.kwonlyargs)]
    takes_request = any(a in ("request", "req") for a in arguments)
    header_default = any(
        isinstance(d, ast.Call) and (dotted_name(d.func) or "").endswith(("Header", "Query"))
        for d in (*function.args.defaults, *function.args.kw_defaults)
        if d is not None
    )
    return operand.id in arguments and (takes_request or header_default)


#: Names a project gives its settings object: `settings.X`, `config.bot.token`, `cfg.ADMINS`.
CONFIG_ROOTS = frozenset({"settings", "config", "cfg", "conf", "env", "app_settings"})
_ENV_READS = frozenset({"os.getenv", "os.environ.get", "getenv", "environ.get"})
_MAX_HOPS = 4


def from_configuration(value: ast.expr, function: FunctionNode | None, hops: int = 0) -> bool:
    """True when `value` is built only from configuration: `settings.X`, `os.getenv(...)`,
    `os.environ[...]`, constants, and locals assigned from those (`db_name =
    urlparse(str(settings.DATABASE_URL)).path`), following at most `_MAX_HOPS` assignments. A
    parameter or anything else unknown makes it False."""
    if hops > _MAX_HOPS:
        return False
    if isinstance(value, ast.Constant):
        return True
    name = dotted_name(value) or ""
    if "." in name and (name.split(".", 1)[0] in CONFIG_ROOTS or name.startswith("os.environ")):
        return True
    if isinstance(value, ast.Name):
        return _assigned_from_configuration(value.id, function, hops)
    if isinstance(value, ast.Call):
        if (dotted_name(value.func) or "") in _ENV_READS:
            return True
        receiver = value.func.value if isinstance(value.func, ast.Attribute) else None
        parts = [*value.args, *(k.value for k in value.keywords), *([receiver] if receiver else [])]
        return bool(parts) and all(from_configuration(p, function, hops) for p in parts)
    if isinstance(value, ast.Subscript | ast.Attribute | ast.Starred | ast.FormattedValue):
        return from_configuration(value.value, function, hops)
    if isinstance(value, ast.JoinedStr):
        return all(from_configuration(v, function, hops) for v in value.values)
    if isinstance(value, ast.BinOp):
        return all(from_configuration(v, function, hops) for v in (value.left, value.right))
    return False


def _assigned_from_configuration(name: str, function: FunctionNode | None, hops: int) -> bool:
    if function is None:
        return False
    parameters = (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)
    if any(a.arg == name for a in parameters):
        return False
    values = [
        statement.value
        for statement in iter_body(function)
        if isinstance(statement, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)
    ]
    return bool(values) and all(from_configuration(v, function, hops + 1) for v in values)
