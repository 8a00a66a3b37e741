"""What a function does with ORM objects after loading them, for the asyncio implicit-IO rules.

- `awaited_load(expr, values)`: the value loads a row through an awaited session call
  (`await session.get(...)`, `(await session.execute(stmt)).scalar_one()`, `result.first()`
  after `result = await session.execute(stmt)`): the session is an `AsyncSession`.
- `loaded_eagerly(function)`: the relationship names a function loads up front or on purpose —
  named in a loader option (`selectinload(User.orders)`, `joinedload("orders")`), in
  `session.refresh(user, ["orders"])`, or awaited as `user.awaitable_attrs.orders`; None when
  the function passes loader options it cannot read (`.options(*OPTIONS)`, a `"*"` wildcard).
- `attribute_reads(function)`: `name.attr` reads (not assignments) of plain local names.
- `runs_after(function, first, later)`: `later` runs whenever `first` has run before it.

Syntactic and conservative: what cannot be read counts as eager loading or as not expiring.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.orm import Values
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body, iter_subtree

LOADER_OPTIONS = frozenset(
    {
        "selectinload",
        "joinedload",
        "subqueryload",
        "immediateload",
        "contains_eager",
        "defaultload",
        "raiseload",
        "noload",
        "lazyload",
        "Load",
    }
)
_MAX_HOPS = 4


def awaited_load(expr: ast.expr, values: Values, hops: int = 0) -> bool:
    """True when an `await` produces the value: in the expression itself, or in the value of
    a local name it reads (`result = await session.execute(...)`, then `result.first()`)."""
    for node in iter_subtree(expr):
        if isinstance(node, ast.Await):
            return True
        if not isinstance(node, ast.Name) or hops >= _MAX_HOPS:
            continue
        if any(awaited_load(v, values, hops + 1) for v in values.get(node.id, ())):
            return True
    return False


def _option_names(argument: ast.expr) -> set[str] | None:
    """The relationship names a loader option names (`selectinload(User.orders)
    .joinedload(Order.items)`, `joinedload("orders")`); None for what cannot be read."""
    if not isinstance(argument, ast.Call):
        return None
    names: set[str] = set()
    calls = [n for n in iter_subtree(argument) if isinstance(n, ast.Call)]
    if not any((dotted_name(c.func) or "").rsplit(".", 1)[-1] in LOADER_OPTIONS for c in calls):
        chained = isinstance(argument.func, ast.Attribute) and argument.func.attr in LOADER_OPTIONS
        if not chained:
            return None
    for call in calls:
        for arg in call.args:
            if isinstance(arg, ast.Attribute):
                names.add(arg.attr)
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if "*" in arg.value:
                    return None
                names.add(arg.value.rsplit(".", 1)[-1])
    return names


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value
        for n in iter_subtree(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _is_awaitable_attrs(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "awaitable_attrs"


def loaded_eagerly(function: FunctionNode) -> frozenset[str] | None:
    """See the module doc. Computed from the whole body, wherever the option is written."""
    names: set[str] = set()
    for node in iter_body(function):
        if isinstance(node, ast.Attribute) and _is_awaitable_attrs(node.value):
            names.add(node.attr)
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        arguments: list[ast.expr] = []
        if method == "options":
            arguments = list(node.args)
        arguments += [k.value for k in node.keywords if k.arg == "options"]
        for argument in arguments:
            elements = argument.elts if isinstance(argument, ast.List | ast.Tuple) else [argument]
            for element in elements:
                found = _option_names(element)
                if found is None:
                    return None
                names |= found
        if method == "refresh" and len(node.args) + len(node.keywords) > 1:
            names |= {s for a in (*node.args[1:], *node.keywords) for s in _strings(a)}
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class AttributeRead:
    """`owner.attr` read (not assigned or deleted) in a function's own body."""

    owner: str
    attr: str
    node: ast.Attribute


def attribute_reads(function: FunctionNode) -> Iterator[AttributeRead]:
    for node in iter_body(function):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
        ):
            yield AttributeRead(node.value.id, node.attr, node)


def assigned_attributes(function: FunctionNode) -> set[tuple[str, str]]:
    """(name, attr) pairs the function assigns (`user.orders = [...]`)."""
    return {
        (node.value.id, node.attr)
        for node in iter_body(function)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
    }


def _blocks(node: ast.AST) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(node, "handlers", ()) or ():
        yield handler.body
    for case in getattr(node, "cases", ()) or ():
        yield case.body


def runs_after(function: FunctionNode, first: ast.AST, later: ast.AST) -> bool:
    """True when `later` sits in a statement after the one holding `first` in the same block,
    or after a block holding `first` that falls through (no `return` / `raise` / `break` /
    `continue` of its own after it): it runs whenever `first` has run before it. Not across
    loop iterations, other branches or exception handlers."""
    path: list[tuple[list[ast.stmt], int]] = []
    block: list[ast.stmt] | None = function.body
    while block is not None:
        index = next((i for i, s in enumerate(block) if _holds(s, first)), None)
        if index is None:
            return False
        path.append((block, index))
        block = next((b for b in _blocks(block[index]) if any(_holds(s, first) for s in b)), None)
    for depth in range(len(path) - 1, -1, -1):
        block, index = path[depth]
        if any(_holds(statement, later) for statement in block[index + 1 :]):
            return not any(
                isinstance(statement, _LEAVES)
                for inner, position in path[depth + 1 :]
                for statement in inner[position + 1 :]
            )
        if _holds(block[index], later):
            return False
    return False


_LEAVES = (ast.Return, ast.Raise, ast.Break, ast.Continue)


def _holds(statement: ast.stmt, node: ast.AST) -> bool:
    return any(inner is node for inner in iter_subtree(statement))
