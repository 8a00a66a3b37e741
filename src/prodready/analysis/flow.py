"""Small control-flow facts read from the tree: suspension points, re-raises, what runs last,
what a function cancels. Syntactic and conservative: they never evaluate conditions."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

from prodready.analysis.names import dotted_name
from prodready.analysis.walk import iter_body, iter_subtree

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
_LOOPS = (ast.While, ast.For, ast.AsyncFor)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _own_nodes(statements: Iterable[ast.stmt]) -> Iterable[ast.AST]:
    """Every node of the statements, not entering nested defs, lambdas or classes."""
    for statement in statements:
        if not isinstance(statement, _SCOPES):
            yield from iter_subtree(statement, same_scope=True)


def suspends(statements: Iterable[ast.stmt]) -> bool:
    """True when the statements may suspend the running task in their own scope: `await`,
    `async with`, `async for` (comprehensions included)."""
    for node in _own_nodes(statements):
        if isinstance(node, ast.Await | ast.AsyncWith | ast.AsyncFor):
            return True
        if isinstance(node, ast.comprehension) and node.is_async:
            return True
    return False


def raises_in(handler: ast.ExceptHandler) -> tuple[bool, bool]:
    """(re-raises what it caught: bare `raise` or `raise <name>`, raises something else),
    for `raise` statements anywhere in the handler's own scope."""
    again = other = False
    for node in _own_nodes(handler.body):
        if isinstance(node, ast.Raise):
            caught = isinstance(node.exc, ast.Name) and node.exc.id == handler.name
            if node.exc is None or caught:
                again = True
            else:
                other = True
    return again, other


def _block_of(parent: ast.AST, child: ast.AST) -> list[ast.AST] | None:
    for name in _BLOCKS:
        block = getattr(parent, name, None)
        if isinstance(block, list) and any(item is child for item in block):
            return block
    return None


def runs_last(statement: ast.stmt, path: Sequence[ast.AST], *, leaves_loop: bool = False) -> bool:
    """True when nothing of the enclosing function runs after `statement` completes, other
    than `else` / `finally` clean-up: it is the last statement of each block up to the def.

    `path` holds `statement`'s ancestors, root first. With `leaves_loop` the statement ends
    by a `break` out of its innermost loop, which then counts as the statement to check.
    """
    child: ast.AST = statement
    for parent in reversed(path):
        if isinstance(parent, _LOOPS):
            if not leaves_loop:
                return False  # the loop runs its body again
            leaves_loop = False
        elif not isinstance(child, ast.ExceptHandler | ast.match_case):
            # (one handler / case runs; what follows the `try` / `match` is what matters)
            block = _block_of(parent, child)
            if block is None or block[-1] is not child:
                return False
        if isinstance(parent, FunctionNode):
            return True
        if isinstance(parent, _SCOPES):
            return False
        child = parent
    return False


def cancelled_names(function: FunctionNode) -> frozenset[str]:
    """Dotted names of what `function` cancels: `task.cancel()` / `self._task.cancel()`
    receivers, and the iterable `tasks` of `for t in tasks: t.cancel()` (or a comprehension)."""
    names: set[str] = set()
    loops: list[tuple[ast.expr, ast.expr]] = []
    for node in iter_body(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "cancel"
        ):
            receiver = dotted_name(node.func.value)
            if receiver:
                names.add(receiver)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            loops.append((node.target, node.iter))
    for target, iterable in loops:
        if dotted_name(target) in names and dotted_name(iterable):
            names.add(str(dotted_name(iterable)))
    return frozenset(names)


def awaits_cancelled(statements: list[ast.stmt], function: FunctionNode) -> bool:
    """True when the statements `await` something `function` cancels: `task.cancel()` then
    `await task` / `await asyncio.gather(*tasks)` - stopping a task it owns."""
    cancelled = cancelled_names(function)
    return bool(cancelled) and any(
        isinstance(node, ast.Await) and mentions(node.value, cancelled)
        for node in _own_nodes(statements)
    )


def recancels(statements: list[ast.stmt]) -> bool:
    """True when the statements call `.uncancel()` or `current_task().cancel()`: code that
    manages the cancellation state of the running task on purpose."""
    for node in _own_nodes(statements):
        if isinstance(node, ast.Attribute) and node.attr in {"cancel", "uncancel"}:
            owner = node.value.func if isinstance(node.value, ast.Call) else None
            current = owner is not None and (dotted_name(owner) or "").endswith("current_task")
            if node.attr == "uncancel" or current:
                return True
    return False


_SPAWNERS = frozenset({"create_task", "ensure_future", "start_soon", "spawn"})


def spawned_names(tree: ast.AST) -> frozenset[str]:
    """Names of the functions whose coroutine the module starts as a task somewhere:
    `asyncio.create_task(worker())`, `loop.create_task(self._poll())`, `tg.start_soon(run)`,
    `scheduler.spawn(job())` -> {"worker", "_poll", "run", "job"}."""
    names: set[str] = set()
    for node in iter_subtree(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called not in _SPAWNERS:
            continue
        first = node.args[0]
        target = first.func if isinstance(first, ast.Call) else first
        name = dotted_name(target)
        if name:
            names.add(name.rsplit(".", 1)[-1])
    return frozenset(names)


def raised_later(handler: ast.ExceptHandler, function: FunctionNode) -> bool:
    """True when the handler keeps the caught exception (`errors.append(exc)`, `self.error =
    exc`) in something that a `raise` of the function raises again (`raise errors[0]`)."""
    if handler.name is None:
        return False
    caught = handler.name
    kept: set[str] = set()
    for node in _own_nodes(handler.body):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if any(isinstance(a, ast.Name) and a.id == caught for a in node.args):
                kept.add(dotted_name(node.func.value) or "")
        elif isinstance(node, ast.Assign) and getattr(node.value, "id", None) == caught:
            kept.update(dotted_name(target) or "" for target in node.targets)
    kept.discard("")
    return bool(kept) and any(
        isinstance(node, ast.Raise) and node.exc is not None and mentions(node.exc, kept)
        for node in iter_body(function)
    )


def mentions(node: ast.AST, names: set[str] | frozenset[str]) -> bool:
    """True when a name or attribute chain inside `node` is one of the dotted `names`."""
    return any(
        isinstance(inner, ast.Name | ast.Attribute) and dotted_name(inner) in names
        for inner in iter_subtree(node, same_scope=True)
    )
