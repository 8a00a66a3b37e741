"""DB014: a status / state / stage column that accepts any string."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.schema_names import is_free_string, is_status
from prodready.analysis.project.schema_sql import checked_columns
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB014",
    name="status-column-free-string",
    title="Status column stored as a free string",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "A column holding the row's lifecycle state — `status`, `state`, `stage`, or the "
        "table's entity with one of them (`order_status` on `orders`) — is typed `String` / "
        "`Text` (or `Mapped[str]`, or a Django `CharField` / `TextField`: its `choices` are "
        "checked by forms and `full_clean()`, not by `save()`, `update()` or the database), "
        "with no `Enum(...)` type and no `CheckConstraint` naming it: the database accepts "
        "any text as the state of a payment, order or subscription. "
        "Not reported: observations (`last_check_status`), a bot's FSM storage, an address's "
        "`state`, and nullable columns with no default (values mirrored from elsewhere)."
    ),
    why=(
        "The state machine lives only in the code's string literals. A typo (`'paied'`), a "
        "value renamed in one service but not in another, or a manual fix in psql stores a "
        "state no code path handles: the row is never picked up by the job that expires or "
        "retries it, `WHERE status = 'paid'` silently misses it, and money is taken for an "
        "order that stays in limbo. A constraint turns the bad write into an immediate error."
    ),
    fix="""Give the column a closed set of values — a native or checked `Enum`, or a CHECK:

```python
import enum

from sqlalchemy import CheckConstraint, Enum, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    REFUNDED = "refunded"


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("delivery_stage IN ('queued', 'sent', 'failed')", name="ck_stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[PaymentStatus] = mapped_column(
        Enum(
            PaymentStatus,
            name="payment_status",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda members: [m.value for m in members],
        ),
        default=PaymentStatus.PENDING,
    )
    delivery_stage: Mapped[str] = mapped_column(String(16))
```""",
    migration=(
        "List the values in use (`SELECT status, count(*) FROM payments GROUP BY 1`) and fix "
        "the strays. Then add the constraint without a long lock: "
        "`op.create_check_constraint('ck_payments_status', 'payments', \"status IN "
        "('pending', 'paid', 'refunded')\", postgresql_not_valid=True)` and, in a later "
        "migration, `op.execute('ALTER TABLE payments VALIDATE CONSTRAINT "
        "ck_payments_status')`. An `Enum(..., native_enum=False, create_constraint=True)` keeps "
        "the column a VARCHAR with that CHECK, so the model change needs no type rewrite "
        "(without `create_constraint=True` SQLAlchemy 2.0 emits no CHECK at all)."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/type_basics.html#sqlalchemy.types.Enum",
        "https://docs.sqlalchemy.org/en/20/core/constraints.html#check-constraint",
        "https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT",
        "https://docs.djangoproject.com/en/stable/ref/models/constraints/#checkconstraint",
    ),
    practices=(Practice.DB_STATE_TRANSITIONS,),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    schema = ctx.project.model.schema
    for table in schema.tables:
        candidates = [c for c in table.columns if is_status(table, c) and is_free_string(c)]
        if not candidates:
            continue
        checked = checked_columns(schema, table)
        for column in candidates:
            if column.name.lower() in checked:
                continue
            django = (
                " (Django's `choices` are checked by forms and `full_clean()`, not by the "
                "database: a `models.CheckConstraint` is)"
                if table.source == "django" and "choices=" in column.type
                else ""
            )
            yield ctx.finding_at(
                column.evidence,
                f"`{table.name}.{column.name}` is a free {column.type}: any typo or unknown "
                f"state is stored; no Enum or CHECK constraint limits it{django}",
            )
