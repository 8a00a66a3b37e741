"""DB017: a migration builds an index on an existing PostgreSQL table while blocking writes."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Evidence, Migration, MigrationOp
from prodready.analysis.project.schema_names import is_reference_table
from prodready.analysis.project.servers import is_postgresql
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB017",
    name="migration-index-not-concurrent",
    title="Migration builds an index on an existing table without CONCURRENTLY",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "On PostgreSQL, an Alembic migration runs `op.create_index(...)` on a table that an "
        "earlier migration created (or that existed before the migrations) without "
        "`postgresql_concurrently=True` inside `op.get_context().autocommit_block()` — or with "
        "`postgresql_concurrently=True` but outside that block, which PostgreSQL refuses."
    ),
    why=(
        "A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: every "
        "INSERT, UPDATE and DELETE waits — on a table of millions of rows, for minutes. The "
        "bot stops recording payments and users, webhooks time out and Telegram retries "
        "them, the pool fills with waiting sessions. `CREATE INDEX CONCURRENTLY` builds "
        "without blocking writes but cannot run in a transaction block: Alembic runs each "
        "migration in one, so without `autocommit_block()` the deploy fails with `CREATE "
        "INDEX CONCURRENTLY cannot run inside a transaction block`. (A small table indexes in "
        "milliseconds: tables of reference data — categories, tariffs, settings — are not "
        "reported; the rule cannot see other sizes, hence medium confidence.)"
    ),
    fix="""Build the index concurrently, outside the migration's transaction:

```python
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_payments_user_id",
            "payments",
            ["user_id"],
            postgresql_concurrently=True,
            if_not_exists=True,
        )
```

Keep such a migration to the index alone: `autocommit_block()` commits whatever the
migration did before it.""",
    migration=(
        "Move index builds on live tables into their own migrations, as above. A concurrent "
        "build that fails (a deadlock, a duplicate in a unique index) leaves an INVALID index "
        "behind: check `pg_index.indisvalid`, drop it with `DROP INDEX CONCURRENTLY` and run "
        "again — `if_not_exists=True` (Alembic 1.12+) does not repair an invalid index. Set a "
        "`lock_timeout` for the other DDL in migrations so they fail fast instead of queueing "
        "behind long transactions."
    ),
    libraries=("alembic", "sqlalchemy"),
    references=(
        "https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY",
        "https://alembic.sqlalchemy.org/en/latest/api/runtime.html#alembic.runtime.migration.MigrationContext.autocommit_block",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#indexes-with-concurrently",
    ),
)


def _concurrent_elsewhere(migration: Migration, table: str) -> bool:
    """The migration also builds an index on `table` concurrently (a dialect branch: the
    plain `create_index` is for SQLite)."""
    for op in migration.ops:
        sql = (op.option("sqltext") or "").lower() if op.kind == "execute" else ""
        if "concurrently" in sql and table.lower() in sql:
            return True
        if op.table == table and op.option("postgresql_concurrently") == "True":
            return True
    return False


def _problem(op: MigrationOp) -> str:
    concurrent = op.option("postgresql_concurrently") == "True"
    in_block = "autocommit_block" in op.context
    if concurrent and in_block:
        return ""
    if concurrent:
        return "uses postgresql_concurrently=True outside autocommit_block(): PostgreSQL refuses it"
    return "blocks every write to the table while the index builds (no postgresql_concurrently)"


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if not is_postgresql(ctx.project, ctx.files):
        return
    schema = ctx.project.model.schema
    seen: set[Evidence] = set()
    for position, migration in enumerate(schema.migrations):
        for op in migration.ops:
            if op.kind != "create_index" or not op.table or is_reference_table(op.table):
                continue
            created = schema.created_in(op.table)
            if created is not None and created >= position:
                continue  # a table this migration creates is empty
            problem = _problem(op)
            if "conditional" in op.context and _concurrent_elsewhere(migration, op.table):
                problem = ""
            if problem and op.evidence not in seen:
                seen.add(op.evidence)
                yield ctx.finding_at(op.evidence, f"index on existing `{op.table}` {problem}")
