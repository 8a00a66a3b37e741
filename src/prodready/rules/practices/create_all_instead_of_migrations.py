"""PRAC004: the schema is created with `metadata.create_all()` instead of migrations."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.practice_evidence import migration_systems, stamps_alembic
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="PRAC004",
    name="create-all-instead-of-migrations",
    title="Schema created with `metadata.create_all()` instead of migrations",
    dimension=Dimension.PRACTICES,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "The service creates its tables with `Base.metadata.create_all()` (called, or passed "
        "to `conn.run_sync(...)`) or Tortoise's `generate_schemas()` — with no migrations at "
        "all (Alembic, Django, aerich, yoyo, piccolo, dbmate, goose, flyway, or the project's "
        "own runner of versioned `.sql` files), or beside them (unless the project then runs "
        "`alembic stamp`, Alembic's own recipe for building a fresh database from the models)."
    ),
    why=(
        "`create_all()` only creates tables that do not exist: a column added to a model "
        "never reaches a database that already has the table, so the next deploy fails with "
        "`column does not exist` on the first query — or, worse, a renamed column silently "
        "stays unused. Changes made by hand on production are not reproducible. Beside "
        "Alembic, `create_all()` creates new tables before their migration runs, and the "
        "migration then fails with `relation already exists`."
    ),
    fix="""Let Alembic own the schema and run the migrations before the service starts:

```python
from alembic import command
from alembic.config import Config


def migrate(database_url: str) -> None:
    config = Config("alembic.ini")
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, "head")  # or `alembic upgrade head` in the container entrypoint
```""",
    migration=(
        "`alembic init -t async migrations`, point `target_metadata` at `Base.metadata`, "
        "create the baseline with `alembic revision --autogenerate -m baseline` against an "
        "empty database and mark existing databases with `alembic stamp head`; then delete "
        "the `create_all()` call and run `alembic upgrade head` at deploy time (a release "
        "step or the entrypoint), never from every replica at start-up."
    ),
    libraries=("alembic", "sqlalchemy"),
    references=(
        "https://alembic.sqlalchemy.org/en/latest/tutorial.html",
        "https://alembic.sqlalchemy.org/en/latest/cookbook.html#building-an-up-to-date-database-from-scratch",
    ),
    practices=(Practice.MIGRATIONS,),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    if service_profile(project) is None:
        return
    if project.model.schema.migrations and stamps_alembic(project):
        return  # a fresh database built from the models, then `alembic stamp head`
    systems = migration_systems(project)
    for fact in project.facts:
        for where in fact.schema_creations:
            if systems:
                yield ctx.finding_at(
                    where,
                    f"`create_all()` creates tables beside {systems}: a new model's table "
                    "exists before its migration runs",
                    severity=Severity.MINOR,
                )
            else:
                yield ctx.finding_at(
                    where,
                    "the schema is created by `create_all()` and there are no migrations: "
                    "model changes never reach an existing database",
                )
