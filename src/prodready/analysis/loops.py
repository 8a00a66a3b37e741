"""What a `for` loop runs over and what its body runs once per item.

`few_or_paged` tells loops over a few known values or over pages (where one statement per
iteration is by design) from loops over data; `body_nodes` walks what runs once per item;
`item_names` are the loop's target and the locals computed from it (also of enclosing loops).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence

from prodready.analysis.dataflow import derived_names, target_names
from prodready.analysis.names import dotted_name

Values = Mapping[str, Sequence[ast.expr]]
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BATCHES = re.compile(r"chunk|batch|page", re.I)
_NO_VALUES: Values = {}


def few_or_paged(iterable: ast.expr, values: Values = _NO_VALUES) -> bool:
    """A few known values or pages: `range(...)`, literal collections (also through a local,
    `.items()`), a CONSTANT or an enum class, a constant slice (`top[:5]`), chunks / batches."""
    if isinstance(iterable, ast.Tuple | ast.List | ast.Set | ast.Dict | ast.Constant):
        return True
    text = ast.unparse(iterable)
    if _BATCHES.search(text):
        return True
    if isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice):
        return isinstance(iterable.slice.upper, ast.Constant)
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in {"items", "keys", "values"}
    ):
        return few_or_paged(iterable.func.value, values)
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.args:
        name = iterable.func.id
        if name in {"range", "enumerate", "zip", "sorted", "reversed", "list"}:
            return name == "range" or few_or_paged(iterable.args[0], values)
    name = (dotted_name(iterable) or "").rsplit(".", 1)[-1]
    if name.lstrip("_")[:1].isupper():  # `Status`, `PRESETS`, `self.TABLES`
        return True
    assigned = values.get(name, ()) if isinstance(iterable, ast.Name) else ()
    return bool(assigned) and all(few_or_paged(v) for v in assigned)


def body_nodes(loop: ast.For | ast.AsyncFor | ast.While) -> Iterator[ast.AST]:
    """Nodes of the loop body, not entering nested defs nor nested loops (checked on their own)
    except loops over a few literal values (their body still runs once per item here)."""
    stack: list[ast.AST] = list(reversed(loop.body))
    while stack:
        node = stack.pop()
        yield node
        nested_loop = isinstance(node, _LOOPS)
        if isinstance(node, ast.For | ast.AsyncFor) and few_or_paged(node.iter):
            nested_loop = False
        if not nested_loop and not isinstance(node, _SCOPES):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))


def item_names(loop: ast.For | ast.AsyncFor, ancestors: Sequence[ast.AST]) -> set[str]:
    """The names that change per item: the loop's target, the locals its body computes from it,
    and the same for the enclosing `for` loops over data in the same function (`ancestors`,
    outermost first; loops outside the innermost def or lambda do not count)."""
    seeds = target_names(loop.target)
    for outer in _own_scope(ancestors):
        if isinstance(outer, ast.For | ast.AsyncFor) and not few_or_paged(outer.iter):
            seeds |= derived_names(outer.body, target_names(outer.target))
    return derived_names(loop.body, seeds)


def _own_scope(ancestors: Sequence[ast.AST]) -> Sequence[ast.AST]:
    """The ancestors after the innermost def, lambda or class."""
    last = max((i for i, n in enumerate(ancestors) if isinstance(n, _SCOPES)), default=-1)
    return ancestors[last + 1 :]


def bound_per_item(loop: ast.For | ast.AsyncFor | ast.While) -> set[str]:
    """Names the loop binds anew for every item: its target and what its body assigns or opens
    (`async with factory() as session:`, `conn = await pool.acquire()`)."""
    found = target_names(loop.target) if isinstance(loop, ast.For | ast.AsyncFor) else set()
    names = (n for n in body_nodes(loop) if isinstance(n, ast.Name))
    return found | {n.id for n in names if isinstance(n.ctx, ast.Store)}


def nearest_loop(ancestors: Sequence[ast.AST]) -> ast.AST | None:
    """The innermost `for` / `while` around a node (`ancestors`, root first) in its own
    function; None when a def or lambda comes first."""
    for node in reversed(ancestors):
        if isinstance(node, _LOOPS):
            return node
        if isinstance(node, _SCOPES):
            return None
    return None
