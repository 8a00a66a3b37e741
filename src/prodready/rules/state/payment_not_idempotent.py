"""RACE001: a successful_payment handler that grants without deduplicating the charge."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.payments import Dedup, charge_dedup, payment_handlers
from prodready.analysis.project.writes import Write, first_write
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="RACE001",
    name="payment-not-idempotent",
    title="Successful payment handled without deduplicating the charge",
    dimension=Dimension.STATE,
    severity=Severity.BLOCKER,
    confidence=Confidence.HIGH,
    what=(
        "A `successful_payment` handler (aiogram `F.successful_payment`, aiogram 2 "
        "`content_types=SUCCESSFUL_PAYMENT`, PTB `filters.SUCCESSFUL_PAYMENT`) grants, extends "
        "or credits — it writes to the database, directly or through the services it calls — "
        "and nothing makes a second delivery of the same payment a no-op: "
        "`telegram_payment_charge_id` is not stored in a unique column, not inserted with "
        "`ON CONFLICT DO NOTHING`, not checked under a lock."
    ),
    why=(
        "Telegram delivers updates at least once. A webhook request that gets a non-2xx answer "
        "is retried — a custom endpoint that awaits the handler answers 500 when anything "
        "after the grant fails (a message that cannot be sent, a timeout); with polling, "
        "updates fetched but not yet confirmed when the process stops (a crash, a deploy, an "
        "OOM kill) come again after the restart — Telegram keeps them up to 24 hours. The "
        "handler then runs twice for one payment: the subscription is extended twice, the "
        "balance credited twice, a key issued twice — for the price of one, on every restart "
        "that falls between fetching and confirming."
    ),
    fix="""Record the charge id with a unique constraint in the same transaction as the grant,
and grant only when the row was new:

```python
from aiogram import F, Router
from aiogram.types import Message
from sqlalchemy import BigInteger, String
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

router = Router()


class Base(DeclarativeBase):
    pass


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    telegram_payment_charge_id: Mapped[str] = mapped_column(String(255), unique=True)
    invoice_payload: Mapped[str] = mapped_column(String(128))
    total_amount: Mapped[int]


@router.message(F.successful_payment)
async def on_successful_payment(message: Message, session: AsyncSession, billing) -> None:
    paid = message.successful_payment
    async with session.begin():
        inserted = await session.execute(
            insert(Payment)
            .values(
                user_id=message.from_user.id,
                telegram_payment_charge_id=paid.telegram_payment_charge_id,
                invoice_payload=paid.invoice_payload,
                total_amount=paid.total_amount,
            )
            .on_conflict_do_nothing(index_elements=["telegram_payment_charge_id"])
            .returning(Payment.id)
        )
        if inserted.scalar_one_or_none() is None:
            return  # the same payment delivered again: already granted
        await billing.extend_subscription(session, message.from_user.id, days=30)
    await message.answer("Thank you! Premium is active.")
```

Without PostgreSQL's `on_conflict_do_nothing`, `session.add(Payment(...))` and catch
`sqlalchemy.exc.IntegrityError` around the flush. PTB: the same body in a
`MessageHandler(filters.SUCCESSFUL_PAYMENT, callback)`.""",
    migration=(
        "Add the column if the charge id is not stored yet (`op.add_column('payments', "
        "sa.Column('telegram_payment_charge_id', sa.String(255), nullable=True))` — NULLs do "
        "not collide), then look for duplicates already granted (`SELECT "
        "telegram_payment_charge_id, count(*) ... GROUP BY 1 HAVING count(*) > 1`), revoke or "
        "keep them deliberately, delete the extra rows, and add the constraint: "
        "`op.create_unique_constraint('uq_payments_charge_id', 'payments', "
        "['telegram_payment_charge_id'])` (on a large table: a unique index with "
        "`postgresql_concurrently=True` inside `op.get_context().autocommit_block()`). Deploy "
        "the handler change with it, so the grant and the payment row commit together."
    ),
    libraries=("sqlalchemy", "alembic", "aiogram", "python-telegram-bot"),
    references=(
        "https://core.telegram.org/bots/api#successfulpayment",
        "https://core.telegram.org/bots/api#getting-updates",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#insert-on-conflict-upsert",
    ),
    practices=(Practice.IDEMPOTENCY_KEYS, Practice.DB_STATE_TRANSITIONS),
)


def _message(handler: str, write: Write, dedup: Dedup) -> str:
    use = dedup.where
    short = handler.rsplit(".", 1)[-1]
    grants = f"`{short}` grants ({write.shown(handler)})"
    twice = ": a redelivered update grants twice"
    if use is None:
        return f"{grants} and never deduplicates on `telegram_payment_charge_id`{twice}"
    where = use.at(handler)
    if dedup.kind == "check":
        return (
            f"{grants} after looking the charge id up ({where}) with no lock and no unique "
            "constraint: two deliveries handled at once both pass the check"
        )
    if dedup.kind == "unknown":
        return (
            f"{grants}; the charge id goes into `{use.column}(...)` ({where}), which prodready "
            f"cannot follow, and nothing it can see deduplicates on it{twice}"
        )
    column = f"`{use.model}.{use.column}`" if use.model else f"`{use.column}`"
    known = (
        "which is not unique (DB010, at the column)"
        if dedup.unique is False
        else "not unique in any model seen"
    )
    return f"{grants}; the charge id is stored in {column} ({where}), {known}{twice}"


def _confidence(dedup: Dedup, schema_known: bool) -> Confidence:
    if dedup.kind == "unknown":
        return Confidence.LOW
    if (
        not schema_known
        or dedup.kind == "check"
        or (dedup.kind == "stored" and dedup.unique is None)
    ):
        return Confidence.MEDIUM  # a unique constraint may exist where prodready cannot see it
    return Confidence.HIGH


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    schema_known = bool(ctx.project.model.schema.tables)
    for handler in payment_handlers(code):
        write = first_write(code, handler.function)
        if write is None:
            continue
        dedup = charge_dedup(code, handler.function)
        if dedup.kind == "safe":
            continue
        yield ctx.finding_at(
            handler.evidence,
            _message(handler.function, write, dedup),
            confidence=_confidence(dedup, schema_known),
            severity=Severity.MAJOR if dedup.kind == "check" else None,
        )
