"""DB015: a column every row needs (owner, amount, currency, status, creation time) left
nullable."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.project.model import Column
from prodready.analysis.project.schema_names import is_required
from prodready.analysis.source import ParsedFile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB015",
    name="important-column-nullable",
    title="Column every row needs is nullable",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A column no row can do without is nullable by omission and has no default: "
        "`user_id`, `amount`, `currency` or `status` on a payments, transactions, invoices, "
        "orders or subscriptions table, or `created_at` anywhere, declared as `Column(...)` "
        "(or an unannotated `mapped_column(...)`) with no `nullable=` — SQLAlchemy makes "
        "such a column nullable. Columns declared nullable on purpose (`nullable=True`, "
        '`Mapped[X | None]`, `ondelete="SET NULL"`) are not reported.'
    ),
    why=(
        "Whatever the code forgets, the database stores: a payment with no owner that no "
        "support query finds, an order with no amount that a report sums as zero, a "
        "subscription with no status that no expiry job selects, a row with no creation time "
        "that falls out of every date range. The NULL surfaces weeks later as a `TypeError` in "
        "a background job or a wrong total, far from the code that wrote it."
    ),
    fix="""Declare the column NOT NULL (in 2.0 style: a non-optional `Mapped[...]`), with a
server default where the database can fill it:

```python
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
```""",
    migration=(
        "Backfill first (`UPDATE orders SET created_at = now() WHERE created_at IS NULL`, or "
        "delete / repair orphan rows), then `op.alter_column('orders', 'user_id', "
        "nullable=False)`. On a large PostgreSQL table avoid the full-table scan under an "
        "exclusive lock: add `CHECK (user_id IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` "
        "it in a later migration, then SET NOT NULL (PostgreSQL 12+ uses the validated check "
        "and skips the scan) and drop the check."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/declarative_tables.html#mapped-column-derives-the-datatype-and-nullability-from-the-mapped-annotation",
        "https://www.postgresql.org/docs/current/sql-altertable.html",
    ),
)


def _declared_lines(parsed: ParsedFile) -> frozenset[int]:
    """Lines whose column says its nullability: a `nullable=` keyword, a `Mapped[...]`
    annotation, a foreign key that sets NULL on delete."""
    lines: set[int] = set()
    for node in ast.walk(parsed.tree):
        if isinstance(node, ast.AnnAssign) and "Mapped" in ast.unparse(node.annotation):
            lines.add(node.lineno)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                set_null = isinstance(value, ast.Constant) and value.value == "SET NULL"
                if keyword.arg == "nullable" or (keyword.arg == "ondelete" and set_null):
                    lines.add(node.lineno)
    return frozenset(lines)


def _declared(ctx: ProjectContext, column: Column) -> bool:
    parsed = ctx.file(column.evidence.path)
    if parsed is None:
        return True
    lines = parsed.memoized("DB015.declared", lambda: _declared_lines(parsed))
    return column.evidence.line in lines


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    for table in ctx.project.model.schema.tables:
        for column in table.columns:
            if is_required(table, column) and not _declared(ctx, column):
                yield ctx.finding_at(
                    column.evidence,
                    f"`{table.name}.{column.name}` is nullable with no default: rows without "
                    "it can be stored and are missed by every query and job that relies on it",
                )
