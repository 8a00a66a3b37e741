"""DB007: a row's state checked in Python, then changed, without a lock or conditional UPDATE."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.dataflow import deciding_ifs
from prodready.analysis.orm import (
    LoadedRows,
    local_assignments,
    module_loaders,
    persists,
    serialized_nodes,
)
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.side_effects import (
    guarded_region,
    guards_transition,
    reads_column,
    repeated_effect,
    state_assignments,
)
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB007",
    name="state-check-then-set-without-lock",
    title="Row state checked in Python, then changed, without a lock",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A row loaded without `with_for_update()` has its state checked in Python (`if order."
        "status == 'pending':`, `if promo.is_used: return`, `where(Order.status == ...)` in the "
        "load), then set (`order.status = 'paid'`), and more follows that the check guards "
        "(a balance credited, rows added, a service called)."
    ),
    why=(
        "The check reads a copy. Two concurrent requests (a double tap, a webhook delivered "
        "twice, a user racing the expiry job) both load `pending`, both pass, both set `paid` "
        "and both run what follows: goods delivered twice, a balance credited twice, a one-time "
        "code used twice. The database never notices: each UPDATE only writes the new value."
    ),
    fix="""Make the transition itself the check: a conditional UPDATE, and act only if it matched:

```python
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, User


async def mark_paid(session: AsyncSession, order_id: int, user_id: int, amount: int) -> bool:
    async with session.begin():
        claim = update(Order).where(Order.id == order_id, Order.status == "pending")
        result = await session.execute(claim.values(status="paid"))
        if result.rowcount != 1:
            return False  # someone else moved it first: do nothing
        credit = update(User).where(User.id == user_id).values(balance=User.balance + amount)
        await session.execute(credit)
    return True
```""",
    migration=(
        "Route every transition of a state machine (orders, payments, promo codes) through one "
        "function: `UPDATE ... WHERE id = :id AND status = :expected` checking `rowcount`, or "
        "a `select(...).with_for_update()` load inside `async with session.begin():`. Back "
        "one-time actions with a unique constraint (charge id, promo use per user)."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/dml.html#orm-update-and-delete-with-custom-where-criteria",
        "https://docs.sqlalchemy.org/en/20/core/selectable.html#sqlalchemy.sql.expression.Select.with_for_update",
    ),
)


@file_rule(META, on=(ast.FunctionDef, ast.AsyncFunctionDef))
def check(node: ast.stmt, ctx: FileContext) -> Iterator[Finding]:
    if not isinstance(node, FunctionNode):
        return
    values = local_assignments(node)
    rows = LoadedRows.of(node, values, module_loaders(ctx.semantic.ancestors[0]))
    if not rows.loads_any or not persists(node):
        return
    whole, under_lock = serialized_nodes(node)
    if whole:
        return
    for write, obj, attr in state_assignments(node):
        found = rows.at(obj, write.lineno)
        if found is None or found[1].locked or id(write) in under_lock:
            continue
        guards: list[ast.stmt] = [
            i for i in deciding_ifs(node, write) if guards_transition(i, write, obj, attr)
        ]
        if reads_column(found[1].call, found[1].model or "?", attr):  # `where(Order.status == ...)`
            guards += [
                s for s in iter_body(node) if isinstance(s, ast.Assign) and s.lineno == found[0]
            ]
        for guard in guards:
            effect = repeated_effect(guarded_region(node, guard, write), values)
            if effect:
                yield ctx.finding(
                    write,
                    f"`{obj}.{attr}` is checked at line {guard.lineno} and set here without a "
                    f"row lock; two concurrent requests both pass and both run line {effect}",
                )
                break
