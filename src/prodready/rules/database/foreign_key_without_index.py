"""DB011: a foreign-key column no index can serve (PostgreSQL does not index them)."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.schema_names import is_reference_table
from prodready.analysis.project.schema_sql import leads_index, migration_indexes
from prodready.analysis.project.servers import database_servers
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB011",
    name="foreign-key-without-index",
    title="Foreign-key column without an index",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A column with a `ForeignKey(...)` is not indexed: no `index=True`, no `unique=True`, "
        "not the primary key, and no `Index(...)` / unique constraint / `op.create_index` "
        "that starts with it. `ForeignKey` creates no index in SQLAlchemy, and PostgreSQL "
        "does not index the referencing side of a foreign key. Not reported for projects "
        "whose only database is SQLite, nor on MySQL, whose InnoDB indexes foreign keys itself."
    ),
    why=(
        "Every lookup by the parent — `select(Payment).where(Payment.user_id == ...)`, a "
        "`selectinload(User.payments)`, a join — scans the whole child table; it is fast in "
        "development and grows linearly with production data until the bot's hot path takes "
        "seconds. Deleting or re-keying a parent row makes PostgreSQL check the child table "
        "for references with a sequential scan, holding locks meanwhile, and `ON DELETE "
        "CASCADE` does it once per deleted parent. (A tiny table is harmless: tables of "
        "reference data — categories, tariffs, settings — are not reported; the rule cannot "
        "see other sizes, hence medium confidence.)"
    ),
    fix="""Index the referencing column, or make it lead a composite index you need anyway:

```python
from sqlalchemy import BigInteger, ForeignKey, Index
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_order_id_created", "order_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    created_at: Mapped[int] = mapped_column(BigInteger)
```""",
    migration=(
        "Generate the migration with `alembic revision --autogenerate`, then make the index "
        "build non-blocking on a live table: `with op.get_context().autocommit_block(): "
        "op.create_index('ix_payments_user_id', 'payments', ['user_id'], "
        "postgresql_concurrently=True)` (`CREATE INDEX CONCURRENTLY` cannot run inside the "
        "migration's transaction). If a concurrent build fails it leaves an INVALID index: "
        "drop it and run the migration again."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK",
        "https://docs.sqlalchemy.org/en/20/core/constraints.html#indexes",
        "https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.create_index",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    servers = database_servers(ctx.project, ctx.files)
    if servers and "postgresql" not in servers:
        return  # SQLite (tiny, local) or MySQL (InnoDB indexes foreign keys itself)
    schema = ctx.project.model.schema
    migrated = migration_indexes(schema)
    for table, column in schema.foreign_key_columns():
        if is_reference_table(table.name) or table.is_indexed(column.name):
            continue
        if leads_index(migrated, table.name, column.name):
            continue
        target = ", ".join(column.foreign_keys)
        yield ctx.finding_at(
            column.evidence,
            f"`{table.name}.{column.name}` references {target} with no index on it: lookups "
            "and joins by it, and deletes of the parent, scan the whole table",
        )
