"""Whether the iterations of a `for` loop depend on each other (so that running them
concurrently would change what the loop does)."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import SemanticModel

_STOPS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.While)
_FALLBACKS = 3
_PACING = ("sleep", "limiter", "throttl", "semaphore", "rate")
_DB = frozenset({"commit", "execute", "flush", "add", "scalars", "scalar", "refresh"})


def innermost_for(semantic: SemanticModel) -> ast.For | ast.AsyncFor | None:
    """The innermost `for` of the current function holding the current node (None inside a
    `while`: polling and retry loops are sequential by nature)."""
    for node in reversed(semantic.ancestors):
        if isinstance(node, _STOPS):
            return None
        if isinstance(node, ast.For | ast.AsyncFor):
            return node
    return None


def carried_names(loop: ast.For | ast.AsyncFor) -> set[str]:
    """Names the body reads before it assigns them: state carried from the last item (a
    counter updated with `+=` is not: the order of additions does not matter)."""
    nodes = [n for s in loop.body for n in ast.walk(s)]
    augmented = {
        n.target.id
        for n in nodes
        if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
    }
    first_read: dict[str, int] = {}
    first_store: dict[str, int] = {}
    for node in nodes:
        if isinstance(node, ast.Name) and node.id not in augmented:
            book = first_read if isinstance(node.ctx, ast.Load) else first_store
            book.setdefault(node.id, node.lineno)
    return {n for n, line in first_read.items() if n in first_store and first_store[n] >= line}


def _changes_self(nodes: list[ast.AST], call: ast.Call) -> bool:
    """The body assigns `self.x` or calls other `self` methods: object state built in order."""
    for node in nodes:
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        if any((dotted_name(t) or "").startswith("self.") for t in targets):
            return True
        called = dotted_name(node.func) if isinstance(node, ast.Call) else None
        if node is not call and (called or "").startswith("self."):
            return True
    return False


def independent_iterations(
    loop: ast.For | ast.AsyncFor, call: ast.Call, serial_methods: Iterable[str] = ()
) -> bool:
    """True when the items of `loop` (which awaits `call`) could be processed concurrently:
    not `range(...)` (retries, pages), not a short literal of alternatives, no `break` /
    `return` / `yield`, no pacing (sleep, limiter, semaphore), no method that must stay
    serial (database work on one session, `serial_methods` such as Telegram sends), no state
    carried between items, no `self` state built in order."""
    iterable = loop.iter
    if isinstance(iterable, ast.Call) and dotted_name(iterable.func) == "range":
        return False
    if isinstance(iterable, ast.Tuple | ast.List) and len(iterable.elts) <= _FALLBACKS:
        return False  # `for url in (primary, backup):` tries alternatives in order
    nodes = [n for s in loop.body for n in ast.walk(s)]
    if any(isinstance(n, ast.Break | ast.Return | ast.Yield | ast.YieldFrom) for n in nodes):
        return False
    names = (dotted_name(n) or "" for n in nodes if isinstance(n, ast.Name | ast.Attribute))
    if any(p in name.lower() for name in names for p in _PACING):
        return False
    methods = {
        n.func.attr for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    if methods & (_DB | set(serial_methods)):
        return False
    return not carried_names(loop) and not _changes_self(nodes, call)
