"""DB013: timestamps stored as `timestamp without time zone` on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.build import Project
from prodready.analysis.project.schema_names import is_naive_datetime
from prodready.analysis.project.servers import is_postgresql
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB013",
    name="naive-datetime-column",
    title="Timestamp column without a time zone",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "On PostgreSQL, a `DateTime` / `TIMESTAMP` column has no `timezone=True` (also "
        "`Mapped[datetime]` with no explicit type): it is `timestamp without time zone`, a "
        "wall-clock reading with no zone — while the project's code makes time-zone-aware "
        "datetimes (it imports `datetime.timezone` / `UTC`, `zoneinfo`, `pytz`...). Custom "
        "types (`AwareDateTime`, `TZDateTime`) are not judged. One finding per table, at its "
        "first such column."
    ),
    why=(
        'Expiry dates, `paid_at` and `created_at` are compared with "now", and which now '
        "depends on the code path: `datetime.now()` is the server's local time, "
        "`datetime.utcnow()` is UTC without a zone, `datetime.now(UTC)` is aware. Mixed, "
        "subscriptions expire hours early or late after a server or container time-zone change; "
        "asyncpg refuses to bind an aware value to such a column (`can't subtract offset-naive "
        "and offset-aware datetimes`), and comparing a loaded value with an aware now raises "
        "`TypeError` in a handler or a background job."
    ),
    fix="""Use `timestamptz` and aware datetimes everywhere:

```python
from datetime import UTC, datetime

from sqlalchemy import DateTime, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Subscription(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


def is_active(subscription: Subscription) -> bool:
    return subscription.expires_at > datetime.now(UTC)
```""",
    migration=(
        "Convert each column, telling PostgreSQL what zone the stored values were written in: "
        "`op.alter_column('subscriptions', 'expires_at', type_=sa.DateTime(timezone=True), "
        "postgresql_using=\"expires_at AT TIME ZONE 'UTC'\")` (use the server's zone if the "
        "code wrote local time). It rewrites the table under an exclusive lock — schedule it, "
        "or add a new column and backfill on a large table — and switch the code to "
        "`datetime.now(UTC)` in the same release."
    ),
    libraries=("sqlalchemy", "alembic", "asyncpg"),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/type_basics.html#sqlalchemy.types.DateTime",
        "https://www.postgresql.org/docs/current/datatype-datetime.html",
        "https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_timestamp_.28without_time_zone.29",
    ),
)


# Imports that make aware datetimes: `datetime.now(timezone.utc)`, `datetime.now(UTC)`,
# `ZoneInfo("Europe/Moscow")`, `pytz.utc`...
_AWARE = ("datetime.timezone", "datetime.UTC", "zoneinfo", "pytz", "dateutil.tz", "pendulum")


def _aware_source(project: Project) -> str:
    """The first file that imports what makes aware datetimes, or ""."""
    for fact in project.facts:
        for name in fact.imports:
            if any(name == a or name.startswith(a + ".") for a in _AWARE):
                return fact.path
    return ""


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    aware = _aware_source(ctx.project)
    if not aware or not is_postgresql(ctx.project, ctx.files):
        return
    for table in ctx.project.model.schema.tables:
        naive = [c for c in table.columns if is_naive_datetime(c)]
        if not naive:
            continue
        names = ", ".join(f"`{c.name}`" for c in naive)
        yield ctx.finding_at(
            naive[0].evidence,
            f"`{table.name}`: {names} {'is' if len(naive) == 1 else 'are'} timestamp without "
            f"time zone, while the code makes aware datetimes ({aware}): the two get mixed",
        )
