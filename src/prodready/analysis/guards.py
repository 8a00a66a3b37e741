"""Which suspension points of a block an exception can escape from: awaits (and `async for` /
`async with`) not inside a `try` whose handler catches every `Exception` and goes on. Used to
tell a background loop that survives errors from one that ends at the first."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_RUNNING = ("run", "active", "alive", "stop", "clos", "shutdown", "exit", "cancel", "enabled")
_SUSPENDS = (ast.Await, ast.AsyncFor, ast.AsyncWith)
_LOCKS = ("lock", "semaphore", "limiter")


def is_forever(test: ast.expr) -> bool:
    """True for the test of a loop meant to run until the process stops: `True`, `1`,
    `self.running`, `not stop.is_set()`, `not self._closed`, `self.is_running()`."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.BoolOp):
        return all(is_forever(value) for value in test.values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.Call) and not test.args and not test.keywords:
        test = test.func
    if isinstance(test, ast.Name | ast.Attribute):
        word = (dotted_name(test) or "").rsplit(".", 1)[-1].lower()
        return any(part in word for part in _RUNNING) or word in {"is_set", "done"}
    return False


def broad_handler(handler: ast.ExceptHandler) -> bool:
    """True when the handler catches every `Exception` (bare, `Exception`, `BaseException`,
    or a tuple naming one) and does not re-raise it with a bare `raise`."""
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    broad = caught is None or any(dotted_name(n) in _BROAD for n in names if n is not None)
    reraises = any(
        isinstance(node, ast.Raise) and node.exc is None
        for statement in handler.body
        for node in ast.walk(statement)
    )
    return broad and not reraises


def _benign(node: ast.AST) -> bool:
    """Waiting that cannot fail but by cancellation: `asyncio.sleep`, `event.wait()`,
    `queue.get()`, `queue.put()`, `asyncio.wait_for` of one of those, `async with lock:`."""
    if isinstance(node, ast.AsyncWith):
        texts = [(dotted_name(item.context_expr) or "").lower() for item in node.items]
        return all(any(word in text for word in _LOCKS) for text in texts)
    if not isinstance(node, ast.Await) or not isinstance(node.value, ast.Call):
        return False
    call = node.value
    name = dotted_name(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    if last == "wait_for" and call.args:
        return _benign(ast.Await(value=call.args[0]))
    receiver = name.rsplit(".", 1)[0].lower() if "." in name else ""
    return last in {"sleep", "wait"} or (last in {"get", "put"} and "queue" in receiver)


def _walk(statements: list[ast.stmt], guarded: bool) -> Iterator[tuple[ast.AST, bool]]:
    """(suspension point, under a broad handler) for every await of the statements."""
    stack: list[tuple[ast.AST, bool]] = [(s, guarded) for s in reversed(statements)]
    while stack:
        node, inside = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, _SUSPENDS):
            yield node, inside
        if isinstance(node, ast.Try | ast.TryStar):
            covered = inside or any(broad_handler(h) for h in node.handlers)
            children: list[tuple[ast.AST, bool]] = [(s, covered) for s in node.body]
            children += [(s, inside) for s in (*node.handlers, *node.orelse, *node.finalbody)]
            stack.extend(reversed(children))
            continue
        stack.extend((child, inside) for child in reversed(list(ast.iter_child_nodes(node))))


def unguarded_awaits(statements: list[ast.stmt]) -> list[ast.AST]:
    """The suspension points of `statements` an exception can escape from: not under a
    broad handler, and not a plain wait (`asyncio.sleep`, `event.wait()`, `queue.get()`)."""
    return [node for node, inside in _walk(statements, False) if not inside and not _benign(node)]


def handles_some(statements: list[ast.stmt]) -> bool:
    """True when the statements have a `try` with at least one handler of their own."""
    return any(
        isinstance(node, ast.Try | ast.TryStar) and node.handlers
        for statement in statements
        for node in ast.walk(statement)
    )
