"""Values computed from themselves inside one function: `obj.col += x`, `obj.col = obj.col - x`,
`new = obj.col + 1; obj.col = new` — the write half of a read-modify-write. Syntactic: a local
counts as computed from `obj.col` when its assigned value mentions it (no flow sensitivity)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body, iter_subtree

_CLOSERS = frozenset({"dispose", "close", "aclose", "terminate"})
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)
_NUMERIC = frozenset({"max", "min", "abs", "round", "sum", "Decimal", "int", "float"})


@dataclass(frozen=True, slots=True)
class SelfUpdate:
    """`statement` writes `obj.column` (a plain local `obj`) from the column's own value."""

    statement: ast.Assign | ast.AugAssign
    obj: str
    column: str


def computed(value: ast.AST) -> bool:
    """True when `value` does arithmetic (`+ - * / // %`, `max` / `min` / `round` / ...); set
    and bit operators (`current | new`) are not arithmetic."""
    return any(
        (isinstance(n, ast.BinOp) and isinstance(n.op, _ARITHMETIC))
        or (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _NUMERIC)
        for n in iter_subtree(value)
    )


def _attributes(value: ast.expr) -> set[str]:
    return {
        ast.unparse(n)
        for n in iter_subtree(value)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    }


def _reads(value: ast.expr, key: str, derived: dict[str, tuple[set[str], bool]]) -> bool:
    """True when `value` computes from `key` (`obj.col`): arithmetic on it, a local computed
    from it (`new = user.balance - price`), or arithmetic on a copy of it."""
    arithmetic = computed(value)
    for node in iter_subtree(value):
        if arithmetic and isinstance(node, ast.Attribute) and ast.unparse(node) == key:
            return True
        if isinstance(node, ast.Name) and node.id in derived:
            keys, from_arithmetic = derived[node.id]
            if key in keys and (arithmetic or from_arithmetic):
                return True
    return False


def self_updates(function: FunctionNode) -> Iterator[SelfUpdate]:
    """Every `obj.col op= x` and every `obj.col = <value computed from obj.col>` of the
    function's own body, in source order."""
    derived: dict[str, tuple[set[str], bool]] = {}
    for node in iter_body(function):
        if isinstance(node, ast.AugAssign):
            changed = node.target
            if isinstance(changed, ast.Attribute) and isinstance(changed.value, ast.Name):
                yield SelfUpdate(node, changed.value.id, changed.attr)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                derived[target.id] = (_attributes(node.value), computed(node.value))
            elif (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and _reads(node.value, ast.unparse(target), derived)
            ):
                yield SelfUpdate(node, target.value.id, target.attr)


def target_names(target: ast.AST) -> set[str]:
    """The plain names a `for` / assignment target binds (`a`, `(a, b)`, `[a, *rest]`)."""
    return {n.id for n in iter_subtree(target) if isinstance(n, ast.Name)}


def derived_names(statements: list[ast.stmt], seeds: set[str]) -> set[str]:
    """`seeds` and the locals the statements assign from them, transitively in source order
    (`for user in users: uid = user.id; stmt = select(X).where(X.user_id == uid)` -> seeds,
    `uid`, `stmt`). Nested defs, lambdas and classes are not entered."""
    found = set(seeds)
    for statement in statements:
        for node in iter_subtree(statement, same_scope=True):
            value: ast.expr | None
            if isinstance(node, ast.Assign):
                targets, value = list(node.targets), node.value
            elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                targets, value = [node.target], node.value
            else:
                continue
            if value is not None and mentions(value, found):
                for target in targets:
                    found |= target_names(target)
    return found


def mentions(node: ast.AST, names: set[str] | frozenset[str]) -> bool:
    """True when `node` reads one of the plain `names`."""
    return any(isinstance(n, ast.Name) and n.id in names for n in iter_subtree(node))


def closes_something(function: FunctionNode) -> bool:
    """Something the function built is disposed or closed again before it returns."""
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _CLOSERS
        for n in iter_body(function)
    )


def stored_for_reuse(function: FunctionNode, call: ast.Call) -> bool:
    """The object is stored for reuse: in a global or an attribute (a lazy singleton)."""
    nodes = list(iter_body(function))
    declared = {name for n in nodes if isinstance(n, ast.Global) for name in n.names}
    for node in nodes:
        if isinstance(node, ast.Assign):
            targets, value = list(node.targets), node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if value is call or (isinstance(value, ast.Await) and value.value is call):
            return any(
                isinstance(t, ast.Attribute | ast.Subscript)
                or (isinstance(t, ast.Name) and t.id in declared)
                for t in targets
            )
    return False


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
_LEAVES = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def deciding_ifs(function: FunctionNode, target: ast.stmt) -> list[ast.If]:
    """The `if` statements of the function that decide whether `target` runs: those that
    enclose it, and earlier guards (`if ...: return` / `raise` / `continue` / `break`) in a
    block that holds it or one of its parents. Innermost first."""
    parents: dict[int, ast.AST] = {}
    for node in iter_body(function):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    found: list[ast.If] = []
    current: ast.AST = target
    while current is not function:
        parent = parents.get(id(current), function)
        if isinstance(parent, ast.If) and current is not parent.test:
            found.append(parent)
        for name in _BLOCKS:
            block = getattr(parent, name, None)
            if isinstance(block, list) and any(item is current for item in block):
                before = block[: next(i for i, s in enumerate(block) if s is current)]
                found += [
                    s for s in before if isinstance(s, ast.If) and isinstance(s.body[-1], _LEAVES)
                ]
        current = parent
    return found
