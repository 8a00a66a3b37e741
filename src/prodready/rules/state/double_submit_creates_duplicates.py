"""RACE012: a button or command handler creates an order / payment / invoice with no dedupe."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.authorization import is_state_filter, state_groups
from prodready.rules.functions import function_node, reached_bodies
from prodready.rules.submissions import acknowledged, creations, first_work_line, guard
from prodready.rules.transitions import schema_models

META = RuleMeta(
    id="RACE012",
    name="double-submit-creates-duplicates",
    title="Button handler creates an order, payment or invoice with no double-tap protection",
    dimension=Dimension.STATE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A callback-query (or message) handler — directly or through the project functions it "
        "calls — creates an order-like row (`session.add(Order(...))`, `insert(Payment)`, "
        "`Order.create(...)`) or sends a Telegram invoice (`send_invoice`, "
        "`create_invoice_link`), and nothing stops a second delivery of the same action: no "
        "lookup of an existing pending row first, no unique key or upsert, no per-user lock, no "
        "throttling, and the button is not answered or removed before the work starts. Typed "
        "commands and payment updates are left to other rules."
    ),
    why=(
        "Users double-tap buttons, and slow networks make them tap again; Telegram delivers "
        "every tap as its own callback query, and aiogram handles updates concurrently by "
        "default. Each run creates its own order or invoice: stock is reserved twice, two "
        "payable invoices reach the user (who may pay both), support refunds by hand. The "
        "same happens when an update is delivered again after a crash."
    ),
    fix="""Make the creation idempotent in the database, and serialise per user:

```python
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderStatus


async def pending_order(session: AsyncSession, user_id: int, item_id: int) -> Order:
    # a partial unique index on (user_id, item_id) WHERE status = 'pending' backs this up
    stmt = (
        insert(Order)
        .values(user_id=user_id, item_id=item_id, status=OrderStatus.PENDING)
        .on_conflict_do_nothing(index_elements=["user_id", "item_id"])
    )
    await session.execute(stmt)
    order = await session.scalar(
        select(Order).where(
            Order.user_id == user_id,
            Order.item_id == item_id,
            Order.status == OrderStatus.PENDING,
        )
    )
    await session.commit()
    return order
```

The handler then shows the one pending order; a second tap finds the same row.""",
    migration=(
        "Add a partial unique index (Alembic `op.create_index(..., unique=True, "
        "postgresql_where=sa.text(\"status = 'pending'\"))`) after cleaning existing duplicates; "
        "create rows with `INSERT ... ON CONFLICT DO NOTHING` or look the pending row up under "
        "`with_for_update()`; pass a stable idempotency key (the order id) to payment providers. "
        "A throttling middleware (aiogram `flags={'throttling_key': ...}` with a Redis or "
        "`cachetools.TTLCache` store) is a useful second line, not the fix."
    ),
    libraries=("sqlalchemy", "alembic", "cachetools"),
    references=(
        "https://core.telegram.org/bots/api#callbackquery",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#insert-on-conflict-upsert",
        "https://docs.aiogram.dev/en/latest/dispatcher/flags.html",
    ),
    practices=(Practice.IDEMPOTENCY_KEYS,),
)

_UPDATES = frozenset({"callback_query", "message"})
_SKIPPED_KINDS = frozenset({"command", "successful_payment", "refunded_payment", "pre_checkout"})
_THROTTLE = re.compile(r"throttl|flood|rate_?limit|cooldown|antispam", re.I)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Silent when a throttling middleware is registered anywhere (it drops repeated taps)."""
    model = ctx.project.model
    if any(_THROTTLE.search(h.function) for h in model.hooks if h.kind == "middleware"):
        return
    tables = schema_models(ctx.project)
    groups = state_groups((c.name, c.bases) for c in ctx.project.calls.classes.values())
    for handler in model.handlers:
        if handler.update not in _UPDATES or _SKIPPED_KINDS.intersection(handler.kinds):
            continue  # a typed command is sent again on purpose; payments are RACE00x's
        located = function_node(ctx.project, ctx.files, handler.function)
        if located is None or any(_THROTTLE.search(f) for f in handler.filters):
            continue
        parsed, own = located
        if any(_THROTTLE.search(ast.unparse(d)) for d in own.decorator_list):
            continue
        bodies = reached_bodies(ctx.project, ctx.files, handler.function, 3)
        found = [(name, c) for name, body in bodies for c in creations(body)]
        models = {c.model for _, c in found if c.model}
        if not found or guard((body for _, body in bodies), models, tables):
            continue
        work = first_work_line(ctx.project, own, handler.function, {n for n, _ in found})
        callback = handler.update == "callback_query"
        if acknowledged(
            own, work, callback, any(is_state_filter(f, groups) for f in handler.filters)
        ):
            continue
        where, creation = found[0]
        place = "here" if where == handler.function else f"in `{where.rsplit('.', 1)[-1]}`"
        path = ctx.project.calls.functions[where].evidence.path
        repeat = "a double tap" if callback else "a repeated or redelivered message"
        message = (
            f"{handler.update.replace('_', ' ')} handler `{own.name}` creates "
            f"`{creation.what}` {place} ({path}:{creation.node.lineno}) with no lookup, lock "
            f"or unique key: {repeat} creates it twice"
        )
        yield ctx.finding(parsed, own, message)
