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
