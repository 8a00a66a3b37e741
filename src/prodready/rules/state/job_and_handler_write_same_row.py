"""RACE011: a background job and a user-facing handler both write a model's state, unlocked."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.transitions import partner_rank, reached_from, writes_by_column

META = RuleMeta(
    id="RACE011",
    name="job-and-handler-write-same-row",
    title="Background job and user-facing handler write the same state column without locking",
    dimension=Dimension.STATE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A model's state column (`status`, `state`, …) is written by code a background job "
        "runs (APScheduler, the PTB job queue, arq / taskiq / Celery tasks, an `asyncio` task "
        "loop) and by code a bot handler or HTTP route runs, and neither write locks the row "
        "(`with_for_update()`) or updates it conditionally (`UPDATE … WHERE status = "
        ":expected`); the model has no version column."
    ),
    why=(
        "The job reads a batch of rows, decides, and writes back seconds later; meanwhile the "
        "user pays, renews or cancels. Whichever commits last wins: an expiry job turns a "
        "subscription the user has just paid for into `expired` (paid, but no access), or a "
        "handler re-activates a row the job has just closed and refunded. These races are rare "
        "per row but certain at scale, they never show in tests, and support sees them as "
        "'I paid and nothing happened'."
    ),
    fix="""Let the database decide: the job moves only rows still in the state it read, and
the handler locks the row it changes.

```python
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Subscription, SubscriptionStatus


async def expire_due(session: AsyncSession, now: datetime) -> list[int]:
    result = await session.execute(
        update(Subscription)
        .where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.expires_at <= now,
        )
        .values(status=SubscriptionStatus.EXPIRED)
        .returning(Subscription.user_id)
    )
    await session.commit()
    return list(result.scalars())


async def renew(session: AsyncSession, user_id: int, until: datetime) -> None:
    stmt = select(Subscription).where(Subscription.user_id == user_id).with_for_update()
    subscription = await session.scalar(stmt)
    if subscription is None:
        raise LookupError(user_id)
    subscription.expires_at = until
    subscription.status = SubscriptionStatus.ACTIVE
    await session.commit()
```""",
    migration=(
        "Rewrite the job as set-based conditional UPDATEs (one statement per transition, "
        "`RETURNING` the ids to notify) instead of load-loop-assign; where it must process rows "
        "one by one, select them `with_for_update(skip_locked=True)` in small batches so it "
        "never waits on a user's transaction. In handlers, load the row `with_for_update()` "
        "before changing it, or add a `version_id_col` to the model (Alembic migration with "
        "`server_default='0'`) and retry on `StaleDataError`."
    ),
    libraries=("sqlalchemy", "apscheduler"),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/dml.html#orm-update-and-delete-with-custom-where-criteria",
        "https://docs.sqlalchemy.org/en/20/orm/versioning.html",
        "https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE",
    ),
    practices=(Practice.DB_STATE_TRANSITIONS,),
)

_SAFE = frozenset({"row-lock", "conditional-update"})


def _short(name: str) -> str:
    return ".".join(name.rsplit(".", 2)[-2:])


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """One finding per unprotected job write, naming an unprotected write of the same column
    that a handler or route reaches (the same code when both reach it)."""
    model = ctx.project.model
    if not model.jobs:
        return
    jobs = reached_from(ctx.project, [job.function for job in model.jobs])
    entries = [h.function for h in model.handlers if h.update != "errors"]
    users = reached_from(ctx.project, [*entries, *(r.function for r in model.routes)])
    for column, grouped in sorted(writes_by_column(ctx.project, ctx.files).items()):
        sites = [s for s in grouped if s.write.guard not in _SAFE]
        partners = [s for s in sites if s.function in users]
        for site in sites:
            if site.function not in jobs:
                continue
            other = min(partners, key=lambda p: partner_rank(site, p), default=None)
            if other is None:
                continue
            job, user = _short(jobs[site.function]), _short(users[other.function])
            where = "through this same code" if other is site else f"at {other.where}"
            message = (
                f"{column} is written here by the background job `{job}` and {where} by "
                f"`{user}` on a user's request; neither locks the row nor updates "
                "conditionally, so the last commit wins"
            )
            yield ctx.finding(site.parsed, site.write.node, message)
