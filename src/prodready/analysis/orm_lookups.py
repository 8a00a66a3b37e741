"""Equality lookups in ORM queries: `select(User).where(User.email == x)`,
`.filter(User.email == x)`, `select(User).filter_by(email=x)`, `query(User).filter_by(...)`.

One pass over a file's tree gives each filtering call with the (model class, column) pairs it
compares. `session.get(User, pk)` is by primary key and bulk `update(...)` / `delete(...)`
statements are maintenance; neither is collected."""

from __future__ import annotations

import ast

_FILTERS = frozenset({"where", "filter"})
_QUERY_HEADS = frozenset({"select", "query"})
_BULK = frozenset({"update", "delete"})


def _conditions(node: ast.expr) -> list[ast.expr]:
    """`a == 1, b == 2` joined by `and` / `and_(...)`; `or` is not a lookup by one column."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [c for v in node.values for c in _conditions(v)]
    if isinstance(node, ast.Call) and _name(node.func) == "and_":
        return [c for a in node.args for c in _conditions(a)]
    return [node]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _column_equal(node: ast.expr) -> tuple[str, str] | None:
    """`Model.column == value` (either side) -> (Model, column)."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return None
    if not isinstance(node.ops[0], ast.Eq):
        return None
    for side in (node.left, node.comparators[0]):
        model = side.value if isinstance(side, ast.Attribute) else None
        if (
            isinstance(side, ast.Attribute)
            and isinstance(model, ast.Name)
            and model.id[:1].isupper()
        ):
            return model.id, side.attr  # a class's column, not a row variable's attribute
    return None


def _queried_model(call: ast.Call) -> str:
    """The model of `select(Model)...` / `session.query(Model)...` a `filter_by` extends."""
    node: ast.expr = call.func
    while isinstance(node, ast.Attribute):
        node = node.value
        if isinstance(node, ast.Call):
            if _name(node.func) in _QUERY_HEADS and len(node.args) == 1:
                head = node.args[0]
                return head.id if isinstance(head, ast.Name) and head.id[:1].isupper() else ""
            node = node.func
    return ""


def _chain_head(call: ast.Call) -> str:
    """The name of the call a method chain starts from: "update" for `update(M).where(...)`."""
    node: ast.expr = call.func
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id
        node = node.func if isinstance(node, ast.Call) else node.value
    return ""


def equality_lookups(tree: ast.Module) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    """Each filtering call's line and the (model class, column) pairs it compares by
    equality, together: an index on one of them serves the lookup."""
    found: list[tuple[int, tuple[tuple[str, str], ...]]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if _chain_head(node) in _BULK:
            continue  # a bulk UPDATE / DELETE: maintenance, not a row lookup on the path
        keys: list[tuple[str, str]] = []
        if method in _FILTERS:
            pairs = (_column_equal(c) for a in node.args for c in _conditions(a))
            keys = [p for p in pairs if p]
        elif method == "filter_by" and (model := _queried_model(node)):
            keys = [(model, k.arg) for k in node.keywords if k.arg]
        if keys:
            found.append((node.lineno, tuple(keys)))
    return found
