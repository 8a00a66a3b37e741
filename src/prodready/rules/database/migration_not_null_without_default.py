"""DB016: an Alembic `add_column` of a NOT NULL column with no server default on an existing
table."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB016",
    name="migration-not-null-without-default",
    title="Migration adds a NOT NULL column without a server default",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "An Alembic migration adds a column with `nullable=False` and no `server_default=` "
        "(`op.add_column(...)` or `batch_op.add_column(...)`) to a table an earlier migration "
        "created, or one that existed before the migrations. A Python-side `default=` does not "
        "count: Alembic does not emit it."
    ),
    why=(
        "`ALTER TABLE ... ADD COLUMN ... NOT NULL` fills the existing rows with NULL and "
        "fails with `column ... contains null values` as soon as the table has one row. It "
        "passes on every developer's empty database and in CI, then fails during the "
        "production deploy: the migration aborts, the release is blocked (or the new code "
        "starts against the old schema), and the fix is written under pressure."
    ),
    fix="""Give the database a value for the existing rows:

```python
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("is_blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
```

When the value must be computed per row: add the column nullable, backfill it, then
`op.alter_column("users", "referral_code", nullable=False)`.""",
    migration=(
        "Fix the migration before it reaches production. If it already failed there, it "
        "rolled back (PostgreSQL DDL is transactional): correct it and deploy again. For "
        "computed values use three steps — add nullable, backfill in batches "
        "(`UPDATE ... WHERE id BETWEEN ...`), then set NOT NULL — and, with a server "
        "default that only exists for the backfill, drop it afterwards with "
        "`op.alter_column(..., server_default=None)`. Since PostgreSQL 11 a constant default "
        "does not rewrite the table."
    ),
    libraries=("alembic", "sqlalchemy"),
    references=(
        "https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.add_column",
        "https://www.postgresql.org/docs/current/ddl-alter.html#DDL-ALTER-ADDING-A-COLUMN",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    schema = ctx.project.model.schema
    for position, migration in enumerate(schema.migrations):
        for op in migration.ops:
            column = op.column
            if op.kind != "add_column" or column is None or column.nullable:
                continue
            if column.server_default or column.primary_key:
                continue
            created = schema.created_in(op.table) if op.table else None
            if created is not None and created >= position:
                continue  # created in this migration (empty), or the chain is out of order
            python_default = f" (`default={column.default}` is Python-side only)"
            yield ctx.finding_at(
                op.evidence,
                f"adds NOT NULL `{op.table or '?'}.{column.name}` with no server_default"
                f"{python_default if column.default else ''}: the migration fails on a table "
                "that has rows",
            )
