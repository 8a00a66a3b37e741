"""RACE010: a row's status set by plain assignment with no check of its current value."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.authorization import privileged
from prodready.rules.transitions import (
    MONEY_MODELS,
    moves_money,
    other_transitions,
    writes_by_column,
)

META = RuleMeta(
    id="RACE010",
    name="unguarded-state-transition",
    title="State column changed by plain assignment without checking the current state",
    dimension=Dimension.STATE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A loaded ORM row's `status` / `state` / `stage` / `phase` column is set by plain "
        "assignment (`sub.status = 'active'`) and the function neither checks the current value "
        "first (`if sub.status == ...`, a `where(Model.status == ...)`), nor loads the row "
        "`with_for_update()`, nor writes through a conditional `UPDATE ... WHERE status = "
        ":expected`; the model has no version column. The message lists the model's other "
        "transitions and how each is guarded."
    ),
    why=(
        "The ORM writes whatever the object holds when it flushes. Between the SELECT and the "
        "UPDATE another request, a webhook retry or a background job can move the row on: a "
        "refund, a cancellation or an expiry is silently overwritten (a refunded subscription "
        "becomes active again, a cancelled order is shipped). Without a check of the current "
        "value the code also accepts transitions the business never allows (expired → paid "
        "twice, cancelled → active), and nothing in the database stops them."
    ),
    fix="""Make each transition conditional on the state it starts from, atomically:

```python
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderStatus


class InvalidTransition(Exception):
    pass


async def mark_paid(session: AsyncSession, order_id: int) -> None:
    result = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == OrderStatus.PENDING)
        .values(status=OrderStatus.PAID)
    )
    if result.rowcount != 1:  # someone else moved it first
        raise InvalidTransition(f"order {order_id} is not pending")
    await session.commit()


async def cancel(session: AsyncSession, order_id: int) -> None:
    stmt = select(Order).where(Order.id == order_id).with_for_update()
    order = await session.scalar(stmt)
    if order is None or order.status not in (OrderStatus.PENDING, OrderStatus.PAID):
        raise InvalidTransition(f"order {order_id} cannot be cancelled")
    order.status = OrderStatus.CANCELLED
    await session.commit()
```""",
    migration=(
        "List the allowed transitions per model (a dict `{from: {to, ...}}` or a small state "
        "machine such as `transitions`' model) and route every status change through one "
        "function that uses a conditional UPDATE and checks `rowcount`. Where whole objects are "
        "edited, add SQLAlchemy optimistic locking (`__mapper_args__ = {'version_id_col': "
        "version}` with an integer `version` column added by an Alembic migration with "
        "`server_default='0'`) and retry on `StaleDataError`. A CHECK constraint on the allowed "
        "values keeps typos out of the column."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/versioning.html",
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/query.html#sqlalchemy.orm.Query.with_for_update",
        "https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-ROWS",
    ),
    practices=(Practice.DB_STATE_TRANSITIONS,),
    overlaps=("RACE006",),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Only rows of models the schema knows (by the loader, the annotation or the variable's
    name) whose lifecycle moves money or access (orders, payments, subscriptions, payouts…),
    never rows built in the same function. Skipped: models with a version column, generic
    setters (`obj.status = status` from a parameter: the callers choose) and admin screens
    that force a state without moving money."""
    for sites in writes_by_column(ctx.project, ctx.files).values():
        for site in sites:
            write = site.write
            if write.core or write.guard or write.setter or not MONEY_MODELS.search(site.model):
                continue
            admin = privileged(site.function) or privileged(site.parsed.source.path)
            if admin and not moves_money(site):
                continue  # an admin screen forcing a state is a deliberate override
            message = (
                f"`{write.target} = {write.new}` moves {site.column} {write.transition} without "
                f"checking or locking the current value{other_transitions(site, sites)}"
            )
            yield ctx.finding(site.parsed, write.node, message)
