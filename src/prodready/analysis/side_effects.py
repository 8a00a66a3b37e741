"""What a function does after a point that would do harm if two requests both ran it: effects
that do not repeat harmlessly. A counter or balance changed (`+=`), a row added (`session.add`,
an INSERT), an UPDATE computed from the column (`balance=User.balance + x`), a call named like a
grant (`create_vpn_user`, `credit_balance`, `issue_key`, `refund`). Setting a column to a
constant, deleting, reading and replying to the user repeat harmlessly and do not count."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from prodready.analysis.dataflow import computed
from prodready.analysis.names import dotted_name
from prodready.analysis.orm import Values, statement
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body, iter_subtree

_GRANTS = re.compile(
    r"(^|_)(create|grant|credit|issue|deliver|add|give|send_(invoice|gift|key|code)|refund|"
    r"pay|charge|transfer|activate|extend|provision|top_?up|deposit|withdraw|reward|bonus|"
    r"accrue|award|redeem|apply|deduct|increment|decrement)(_|$)",
    re.I,
)
_LEAVES = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _effect(node: ast.AST, values: Values) -> bool:
    if isinstance(node, ast.AugAssign):
        return isinstance(node.target, ast.Attribute)  # a column, not a local tally
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Attribute):
        return computed(node.value)  # `user.until = user.until + period`
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
    if name in {"add", "add_all"}:
        return True
    if name in {"execute", "scalar", "scalars"} and node.args:
        found = statement(node.args[0], values)
        return found is not None and (
            found.kind == "insert" or (found.kind == "update" and computed(node.args[0]))
        )
    return "lock" not in name.lower() and bool(_GRANTS.search(name))


def repeated_effect(nodes: Iterable[ast.AST], values: Values) -> int:
    """The line of the first of `nodes` that does harm when repeated (see the module doc);
    0 when none, or when a lock is taken first (`await acquire_provision_lock(id)`)."""
    for node in nodes:
        if isinstance(node, ast.Call) and "lock" in (ast.unparse(node.func)).lower():
            return 0
        if _effect(node, values):
            return getattr(node, "lineno", 0)
    return 0


def guarded_region(function: FunctionNode, guard: ast.stmt, target: ast.stmt) -> Iterator[ast.AST]:
    """What runs only because `guard` let `target` run: the body of an `if` that encloses
    `target`, or what follows `guard` (an `if ...: return`, a load); early exits (`if ...:
    return`) and `target` itself are left out."""
    inside = guard.lineno <= target.lineno <= (guard.end_lineno or guard.lineno)
    if isinstance(guard, ast.If) and inside:
        nodes: list[ast.AST] = [n for s in guard.body for n in iter_subtree(s, same_scope=True)]
    else:
        end = guard.end_lineno or guard.lineno
        nodes = [n for n in iter_body(function) if getattr(n, "lineno", 0) > end]
    skip = {id(n) for n in iter_subtree(target)}
    for node in nodes:
        if isinstance(node, ast.If) and isinstance(node.body[-1], _LEAVES):
            skip.update(id(n) for n in iter_subtree(node) if n is not node)
    return (n for n in nodes if id(n) not in skip)


_STATE = re.compile(
    r"(^|_)(status|state|stage|phase|paid|used|processed|delivered|activated|redeemed|claimed|"
    r"confirmed|completed|consumed|refunded|cancell?ed|issued|granted|credited)$",
    re.I,
)


def reads_column(node: ast.AST, obj: str, attr: str) -> bool:
    """`obj.attr` (`Model.attr` in a load's WHERE) appears in `node`."""
    return any(
        isinstance(n, ast.Attribute) and n.attr == attr and dotted_name(n.value) == obj
        for n in iter_subtree(node)
    )


def state_assignments(function: FunctionNode) -> Iterator[tuple[ast.stmt, str, str]]:
    """(statement, object, column) of every `obj.<state column> = ...` of the function."""
    for node in iter_body(function):
        t = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and _STATE.search(t.attr):
            yield node, t.value.id, t.attr  # type: ignore[misc]


def guards_transition(check: ast.If, write: ast.stmt, obj: str, attr: str) -> bool:
    """The `if` guards the transition: it encloses the write and tests the column (`if
    order.status == "pending":`), or it is an early exit testing the value being written
    (`if promo.is_used: return` before `promo.is_used = True`)."""
    if not reads_column(check.test, obj, attr):
        return False
    if check.lineno <= write.lineno <= (check.end_lineno or 0):
        return True
    value = write.value if isinstance(write, ast.Assign) else None
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        return True
    shown = ast.unparse(value) if value is not None else "?"
    return any(ast.unparse(n) == shown for n in iter_subtree(check.test))
