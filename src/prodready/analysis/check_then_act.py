"""Check-then-act on a container: `if key not in c:` (or `not c.get(key)` /
`c.get(key) is None`), then an `await`, then the write `c[key] = ...` the check guarded."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from prodready.analysis.names import dotted_name
from prodready.analysis.walk import iter_subtree

# Awaited work that only reads: two tasks doing it twice waste a call, nothing more.
_READS = re.compile(r"_?(get|fetch|load|read|find|lookup|list|query|search|count|sleep)(_|$)")
# Before an entry is used up, replies to the sender and stopping a component are not the work a
# second task would wrongly repeat: `await callback.answer(...)`, `await app.stop()`.
_REPLIES_AND_STOPS = re.compile(
    r"(answer|reply|edit_\w+|delete_message|send_chat_action|clear|set_state|stop|shutdown"
    r"|close|wait_for|sleep)$"
)


def membership_check(test: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(container, key) of `key not in c`, `not c.get(key)`, `c.get(key) is None`."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, right = test.ops[0], test.comparators[0]
        if isinstance(op, ast.NotIn):
            return right, test.left
        if isinstance(op, ast.Is) and isinstance(right, ast.Constant) and right.value is None:
            test = ast.UnaryOp(op=ast.Not(), operand=test.left)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        call = test.operand
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args:
            return (call.func.value, call.args[0]) if call.func.attr == "get" else None
    return None


def _writes(node: ast.AST, container: str, key: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    for target in targets:
        if isinstance(target, ast.Subscript) and ast.dump(target.slice) == key:
            return dotted_name(target.value) == container
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        first = node.value.args[0] if node.value.args else None
        if isinstance(func, ast.Attribute) and func.attr in {"add", "setdefault"} and first:
            return dotted_name(func.value) == container and ast.dump(first) == key
    return False


def _awaited_work(node: ast.AST) -> str | None:
    """The name of what an `await` runs (`payments.create_invoice`); "" when not a call."""
    if isinstance(node, ast.Await):
        call = node.value
        return (dotted_name(call.func) or "") if isinstance(call, ast.Call) else ""
    return "" if isinstance(node, ast.AsyncWith | ast.AsyncFor) else None


def _consumes(node: ast.AST, container: str, key: str) -> bool:
    """`del container[key]` or `container.pop(key, ...)`: the entry is used up."""
    if isinstance(node, ast.Delete):
        return any(
            isinstance(t, ast.Subscript)
            and ast.dump(t.slice) == key
            and dotted_name(t.value) == container
            for t in node.targets
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        func, first = node.func, node.args[0]
        return (
            func.attr == "pop" and dotted_name(func.value) == container and ast.dump(first) == key
        )
    return False


def guards_by_leaving(node: ast.If) -> bool:
    """`if key not in pending: return` — the check leaves, and the code after it acts."""
    return not node.orelse and isinstance(node.body[-1], ast.Return | ast.Raise | ast.Continue)


def write_after_await(body: list[ast.stmt], container: str, key: str) -> tuple[ast.AST, str] | None:
    """The first write of `container[key]` in `body` and the work awaited before it, when
    that work may change something (two reads of the same thing are only wasted work)."""
    return _acted_after_await(body, container, key, _writes, _READS)


def consume_after_await(
    body: list[ast.stmt], container: str, key: str
) -> tuple[ast.AST, str] | None:
    """The first `del container[key]` / `container.pop(key)` in `body` after an acting await:
    the entry a guard found present is used up only after work two tasks can both do."""
    return _acted_after_await(body, container, key, _consumes, _REPLIES_AND_STOPS)


def _acted_after_await(
    body: list[ast.stmt],
    container: str,
    key: str,
    acts: Callable[[ast.AST, str, str], bool],
    harmless: re.Pattern[str],
) -> tuple[ast.AST, str] | None:
    awaited: list[str] = []
    for statement in body:
        for node in iter_subtree(statement, same_scope=True):
            if acts(node, container, key):
                awaited += [w for n in iter_subtree(node) if (w := _awaited_work(n)) is not None]
                acting = [
                    w
                    for w in awaited
                    if not _READS.match(last := w.rsplit(".", 1)[-1]) and not harmless.match(last)
                ]
                return (node, acting[0]) if acting else None
            work = _awaited_work(node)
            if work is not None:
                awaited.append(work)
    return None
