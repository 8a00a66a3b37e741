"""DB010: payment / event identifiers and the users table's Telegram id without a unique
constraint."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.model import Column, Handler, Table
from prodready.analysis.project.payments import granted_charge_columns
from prodready.analysis.project.schema_names import business_key, unique_enough
from prodready.analysis.project.schema_sql import migration_indexes, unique_with
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB010",
    name="business-key-not-unique",
    title="Payment or event identifier, or the users table's Telegram id, not unique",
    dimension=Dimension.DATABASE,
    severity=Severity.BLOCKER,
    confidence=Confidence.HIGH,
    what=(
        "A column that identifies something outside the database has no unique constraint: "
        "Telegram's `telegram_payment_charge_id` (or `provider_payment_charge_id` when it is "
        "stored without it — a Stars payment has no external provider), a payment provider's "
        "payment, transaction, invoice or bill id (`yookassa_payment_id`, `external_id`, "
        "`invoice_id` on a payments table), a webhook event id, an `idempotency_key` — or the "
        "Telegram user id (`telegram_id`, `tg_id`, `user_id`) that is the business key of the "
        "`users` table but not its primary key. A unique constraint that adds the provider, "
        "the owner or the tenant (`UniqueConstraint('provider', 'external_id')`) counts."
    ),
    why=(
        "Telegram and payment providers deliver at least once: a webhook answered late, a "
        "restart between fetching and confirming updates, a provider retrying its callback. "
        "Without a unique constraint the second delivery inserts a second payment row and the "
        "grant runs again — two subscriptions or two balance top-ups for one charge; a "
        "check-then-insert in code does not help, two deliveries handled at once both pass it. "
        "On the users table two concurrent `/start` updates create two rows for one account, "
        "and every later `scalar_one()` by Telegram id raises `MultipleResultsFound`."
    ),
    fix="""Let the database refuse the duplicate, and make the insert idempotent:

```python
from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_payment_charge_id: Mapped[str] = mapped_column(String(255), unique=True)
    provider: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
```

Insert with `sqlalchemy.dialects.postgresql.insert(Payment).on_conflict_do_nothing(...)
.returning(Payment.id)` and grant only when a row came back (or catch `IntegrityError`).""",
    migration=(
        "Find the duplicates first (`SELECT external_id, count(*) FROM payments GROUP BY 1 "
        "HAVING count(*) > 1`), decide which grants were double and merge or delete the extra "
        "rows. Then build the index without blocking writes and attach it: inside "
        "`with op.get_context().autocommit_block():` run `op.create_index('uq_payments_"
        "external_id', 'payments', ['external_id'], unique=True, postgresql_concurrently=True)` "
        "(`CREATE UNIQUE INDEX CONCURRENTLY`); a small table can take "
        "`op.create_unique_constraint(...)` directly. Switch the insert to ON CONFLICT in the "
        "same release."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/constraints.html#unique-constraint",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#insert-on-conflict-upsert",
        "https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY",
        "https://core.telegram.org/bots/api#successfulpayment",
    ),
    practices=(Practice.IDEMPOTENCY_KEYS,),
)


def _message(table: Table, column: Column, kind: str, granted: Handler | None) -> str:
    where = f"`{table.name}.{column.name}`"
    if granted is not None:
        return (
            f"{where} is not unique: the same defect RACE001 reports where "
            f"`{granted.function.rsplit('.', 1)[-1]}` ({granted.evidence}) stores the charge id "
            "here and grants — counted there; the unique constraint on this column fixes both"
        )
    if kind == "user":
        return (
            f"{where} is not unique: two concurrent first updates of one Telegram user insert "
            "two rows, and lookups by it raise MultipleResultsFound"
        )
    return (
        f"{where} is not unique: a redelivered update, a provider's retried callback or a "
        "retried create can store one payment twice, and it is granted or looked up twice"
    )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    schema = ctx.project.model.schema
    migrated = migration_indexes(schema)
    granted = granted_charge_columns(Code(ctx.project, ctx.files)) if schema.tables else {}
    for table in schema.tables:
        for column in table.columns:
            kind = business_key(table, column)
            more = unique_with(migrated, table.name, column.name)
            if not kind or unique_enough(table, column.name, more):
                continue
            handler = granted.get((table.name, column.name))
            severity = Severity.CRITICAL if kind == "user" else None
            severity = Severity.INFO if handler is not None else severity  # RACE001 counts it
            message = _message(table, column, kind, handler)
            yield ctx.finding_at(column.evidence, message, severity=severity)
