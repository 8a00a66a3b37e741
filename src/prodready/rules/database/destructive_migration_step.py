"""DB025: the newest Alembic revision renames, or drops while adding its replacement, schema
that the release now running still uses."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.schema_destructive import (
    Destructive,
    destructive,
    expands,
    heads,
    known,
    still_declared,
)
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB025",
    name="destructive-migration-step",
    title="Migration removes or renames schema the running code still uses, in one step",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The newest Alembic revision (a head: no revision follows it yet, so it is the one "
        "about to be deployed) renames a column or table (`op.alter_column(..., "
        "new_column_name=...)`, `op.rename_table(...)`), or drops a column or table the "
        "project made (`op.drop_column`, `op.drop_table`) in the same revision that adds what "
        "replaces it — expand and contract in one step. A drop alone is not reported: it is "
        "usually the contract step of an earlier expand. Type changes are not reported."
    ),
    why=(
        "`alembic upgrade head` runs before or while the new release starts, and the previous "
        "release keeps serving meanwhile: during a rolling deploy, in the restart window, in a "
        "second worker or scheduler. Its models still map the old column, and SQLAlchemy "
        "selects every mapped column, so every query on the table fails with "
        "`UndefinedColumnError` until the old process is gone. "
        "If the new release has to be rolled back, the old code meets the new schema again, "
        "and `downgrade()` cannot bring back the values a drop destroyed. Alembic "
        "autogenerate writes a renamed column or table as a drop plus an add, so an intended "
        "rename can also silently lose the column's data."
    ),
    fix="""Split the change so that each release works with the schema before and after it
(expand, migrate, contract). Release 1 adds the new column and backfills it; the code writes
both and reads the new one:

```python
import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"


def upgrade() -> None:
    op.add_column("payments", sa.Column("amount_minor", sa.BigInteger(), nullable=True))
    op.execute("UPDATE payments SET amount_minor = amount * 100 WHERE amount_minor IS NULL")
```

Release 2, once no running code reads the old column, drops it in its own revision:
`op.drop_column("payments", "amount")`. In CI, write the new revisions' SQL with
`alembic upgrade <deployed>:head --sql > new.sql` and lint it with `squawk new.sql`: it
flags renames, drops and type changes.""",
    migration=(
        "Move the drop or rename out of this revision into a later one that ships "
        "after the code that stops using the old shape is deployed everywhere. A rename that is "
        "only about naming needs no migration: rename the model attribute and keep the column "
        '(`full_name: Mapped[str] = mapped_column("name")`). Otherwise add the new column (or '
        "a view under the new table name), write both, backfill, switch reads, then drop the "
        "old one. Take a backup (or keep the old column) before any drop: "
        "`downgrade()` recreates an empty column, not its data."
    ),
    libraries=("alembic", "squawk-cli"),
    references=(
        "https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.alter_column",
        "https://squawkhq.com/docs/renaming-column",
        "https://squawkhq.com/docs/ban-drop-column",
        "https://alembic.sqlalchemy.org/en/latest/autogenerate.html#what-does-autogenerate-detect-and-what-does-it-not-detect",
    ),
)


def _message(found: Destructive, added: tuple[str, ...]) -> str:
    if found.kind in ("rename column", "rename table"):
        return (
            f"renames `{found.what}` to `{found.detail}` in one step: the release still "
            "running queries the old name and fails until it is replaced"
        )
    shown = ", ".join(f"`{a}`" for a in added[:3]) + (", ..." if len(added) > 3 else "")
    return (
        f"drops `{found.what}` in the revision that adds {shown}: expand and contract in one "
        "step — the release still running reads the dropped schema, and downgrade() cannot "
        "restore its data"
    )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    schema = ctx.project.model.schema
    for migration in heads(schema.migrations):
        found = [
            d
            for d in destructive(migration)
            if known(schema, d.op.table) and not still_declared(schema, d)
        ]
        added = expands(migration, found)
        for item in found:
            if item.kind.startswith("drop") and not added:
                continue  # a drop alone: likely the contract step of an earlier expand
            yield ctx.finding_at(item.op.evidence, _message(item, added))
