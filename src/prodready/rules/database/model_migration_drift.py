"""DB018: the models and the Alembic migrations disagree in ways that break queries or inserts."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Column, Schema, Table
from prodready.analysis.project.schema_fold import fold_lineages, lineages
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB018",
    name="model-migration-drift",
    title="Models and migrations disagree",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "Applying the Alembic migrations in order does not give the schema the models "
        "declare, in a way that breaks the application: a model column no migration adds, a "
        "NOT NULL column the migrations add that the model does not know (and the database "
        "cannot fill), or a column the model may leave empty that the migrations made NOT "
        "NULL. Differences the application survives (an extra nullable column, a column "
        "removed from the model first in an expand–contract change) are not reported."
    ),
    why=(
        "Production's schema is what the migrations built. A model column they never add "
        "makes every query that selects the model fail with `UndefinedColumnError` the moment "
        "the code is deployed — while tests pass, because they build the schema with "
        "`create_all()` from the models. A NOT NULL column the model does not know, or leaves "
        "None, makes every ORM insert fail with `NotNullViolationError`."
    ),
    fix="""Let Alembic compare the models with a database built by the migrations, and
fail CI when they differ:

```python
import subprocess


def test_migrations_match_models(database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    subprocess.run(["alembic", "upgrade", "head"], check=True, env=env)
    # exits non-zero when autogenerate would produce operations
    subprocess.run(["alembic", "check"], check=True, env=env)
```

Then write the missing migration with `alembic revision --autogenerate -m "..."` and review
what it generated.""",
    migration=(
        "Run `alembic upgrade head` on a copy of production, then `alembic check` (Alembic "
        "1.9+) or `alembic revision --autogenerate` to see every difference. Add the missing "
        "columns in a new migration (nullable or with a `server_default` on tables with rows); "
        "for a NOT NULL column the model dropped, make it nullable or give it a server default "
        "before the code that stops writing it ships, and drop it in a later release."
    ),
    libraries=("alembic", "sqlalchemy"),
    references=(
        "https://alembic.sqlalchemy.org/en/latest/autogenerate.html",
        "https://alembic.sqlalchemy.org/en/latest/autogenerate.html#running-alembic-check-to-test-for-new-upgrade-operations",
    ),
)


def _raw_sql(schema: Schema) -> str:
    """The SQL the migrations run with `op.execute(...)`, lower-cased."""
    texts = (op.option("sqltext") or "" for m in schema.migrations for op in m.ops)
    return "\n".join(texts).lower()


def _fills_itself(column: Column) -> bool:
    return bool(column.nullable or column.server_default or column.primary_key)


def _may_send_none(column: Column) -> bool:
    """The model lets a row be inserted without a value for `column`."""
    return column.nullable and not column.default and not column.server_default


def _differences(model: Table, migrated: Table, raw_sql: str) -> Iterator[tuple[Column, str]]:
    name = model.name
    for column in model.columns:
        other = migrated.column(column.name)
        if other is None:
            if column.name.lower() not in raw_sql:
                yield column, f"model column `{name}.{column.name}` is added by no migration"
        elif _may_send_none(column) and not _fills_itself(other):
            yield (
                column,
                f"`{name}.{column.name}` may be None in the model but is NOT NULL after "
                f"the migrations ({other.evidence})",
            )
    for other in migrated.columns:
        if model.column(other.name) is None and not _fills_itself(other):
            yield (
                other,
                f"NOT NULL `{name}.{other.name}` (no server default) is added by migrations "
                "but unknown to the model: every ORM insert fails",
            )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    schema = ctx.project.model.schema
    if not schema.migrations:
        return
    models = [t for t in schema.tables if t.source in ("model", "core")]
    folded = fold_lineages(lineages(schema.migrations), models)
    migrated = {t.name: t for t in folded.tables}
    raw_sql = _raw_sql(schema)
    for model in models:
        other = migrated.get(model.name)
        if other is None:
            continue
        for column, message in _differences(model, other, raw_sql):
            hint = "; `alembic check` shows it, `alembic revision --autogenerate` fixes it"
            yield ctx.finding_at(column.evidence, message + hint)
