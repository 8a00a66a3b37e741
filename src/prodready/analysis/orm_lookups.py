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


Lookup = tuple[int, tuple[tuple[str, str], ...], str]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _keys(node: ast.Call) -> tuple[tuple[str, str], ...]:
    if not isinstance(node.func, ast.Attribute) or _chain_head(node) in _BULK:
        return ()  # a bulk UPDATE / DELETE: maintenance, not a row lookup on the path
    if node.func.attr in _FILTERS:
        pairs = (_column_equal(c) for a in node.args for c in _conditions(a))
        return tuple(p for p in pairs if p)
    if node.func.attr == "filter_by" and (model := _queried_model(node)):
        return tuple((model, k.arg) for k in node.keywords if k.arg)
    return ()


def equality_lookups(tree: ast.Module) -> list[Lookup]:
    """Each filtering call's line, the (model class, column) pairs it compares by equality
    together (an index on one of them serves the lookup), and the undecorated function it is
    in ("" at module level or in a decorated handler or route, which runs without a caller)."""
    return scan(tree)[0]


def referenced_names(tree: ast.Module) -> set[str]:
    """Names the file uses (`f`, `obj.f`), outside test functions and `__main__` blocks: a
    function no file names is dead code."""
    return scan(tree)[1]


def _main_guard(node: ast.If) -> bool:
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    ) or "__main__" in ast.unparse(test)


def scan(tree: ast.Module) -> tuple[list[Lookup], set[str]]:
    """`equality_lookups` and `referenced_names` in one walk of the tree."""
    found: list[Lookup] = []
    names: set[str] = set()
    stack: list[tuple[ast.AST, str, bool]] = [(tree, "", True)]
    push = stack.append
    node_type = ast.AST
    while stack:
        node, function, counted = stack.pop()
        if isinstance(node, ast.Name):
            if counted:
                names.add(node.id)
            continue
        if isinstance(node, _FUNCTIONS):
            function = "" if node.decorator_list else node.name
            counted = counted and not node.name.startswith("test")
        elif isinstance(node, ast.Attribute):
            if counted:
                names.add(node.attr)
        elif isinstance(node, ast.Call):
            if keys := _keys(node):
                found.append((node.lineno, keys, function))
        elif isinstance(node, ast.If) and counted and "__main__" in _test_text(node):
            counted = not _main_guard(node)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        push((item, function, counted))
            elif isinstance(value, node_type):
                push((value, function, counted))
    return sorted(found), names


def _test_text(node: ast.If) -> str:
    """The string constants of an `if` test (cheap: no unparse unless one says `__main__`)."""
    test = node.test
    if isinstance(test, ast.Compare):
        return " ".join(
            c.value
            for c in (test.left, *test.comparators)
            if isinstance(c, ast.Constant) and isinstance(c.value, str)
        )
    return ""
