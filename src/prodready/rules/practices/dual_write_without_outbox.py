"""PRAC001: a flow commits to the database and changes an external system, with no outbox."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.effects import DualWrite, Effects
from prodready.analysis.project.order import effect_order
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.defs import def_at

META = RuleMeta(
    id="PRAC001",
    name="dual-write-without-outbox",
    title="Database commit and external write in one flow, with no outbox",
    dimension=Dimension.PRACTICES,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "One flow (a function, or the functions it calls) commits a database transaction and "
        "also changes an external system — an HTTP POST / PUT / PATCH / DELETE, a payment SDK "
        "call that creates, refunds or cancels, a task-queue publish — in either order, and the "
        "project has no outbox table. Telegram replies and reads (GET) are not counted."
    ),
    why=(
        "The two writes cannot be atomic. Commit first and the process dies (deploy, OOM, "
        "timeout) before the call: the database says the VPN key was issued or the order "
        "shipped, the provider never heard of it. Call first and the commit fails: the panel "
        "holds a user, the provider holds a payment, and your database has no record of "
        "either — the provider's webhook later arrives for an order that does not exist. "
        "Retrying the whole flow repeats the external call."
    ),
    fix="""Write the intent to an outbox table in the same transaction; a relay worker delivers it
(retrying with backoff) and marks it sent:

```python
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def activate(session: AsyncSession, user_id: int, plan: str) -> None:
    session.add(Subscription(user_id=user_id, plan=plan))
    session.add(OutboxEvent(kind="panel.create_user", payload={"user_id": user_id}))
    await session.commit()  # both rows or neither


async def relay(sessions: async_sessionmaker[AsyncSession], panel: "PanelClient") -> None:
    async with sessions() as session, session.begin():
        query = select(OutboxEvent).where(OutboxEvent.sent_at.is_(None)).limit(100)
        for event in (await session.scalars(query.with_for_update(skip_locked=True))).all():
            await panel.deliver(event.kind, event.payload, idempotency_key=str(event.id))
            event.mark_sent()
```""",
    migration=(
        "Add an `outbox` table (id, kind, payload JSON, created_at, sent_at, attempts) with "
        "an Alembic migration; in each flow listed, replace the external call with an insert "
        "into it inside the same transaction; run the relay as a supervised background task "
        "(or an arq / taskiq job) with tenacity backoff, and send the outbox id as the "
        "provider's idempotency key so a re-delivery is harmless. Where the external call "
        "must come first (creating a payment to show its link), commit a *pending* row "
        "first, then call, then update it — and let the provider's webhook reconcile."
    ),
    libraries=("sqlalchemy", "alembic", "tenacity", "arq", "taskiq"),
    references=(
        "https://microservices.io/patterns/data/transactional-outbox.html",
        "https://docs.aws.amazon.com/prescriptive-guidance/latest/cloud-design-patterns/transactional-outbox.html",
    ),
    practices=(Practice.OUTBOX,),
)


_VERBS = {
    "http-write": "sends",
    "http-request": "sends",
    "sdk-write": "calls",
    "queue": "enqueues with",
}


def _finding(flow: DualWrite, ctx: ProjectContext) -> Finding | None:
    commit = f"commits{flow.commit.via}"
    verb = _VERBS.get(flow.write.effect.kind, "calls")
    write = f"{verb} {flow.write.effect.label}{flow.write.via}"
    parsed = ctx.file(flow.function.evidence.path)
    node = def_at(parsed, flow.function.evidence.line) if parsed is not None else None
    order = (
        effect_order(
            node,
            (flow.commit.path, flow.commit.effect.call),
            (flow.write.path, flow.write.effect.call),
            parsed.semantic.qualified_name,
        )
        if node is not None and parsed is not None
        else None
    )
    if order is not None and order.how == "exclusive":
        return None  # one branch commits, another calls out: no run does both
    name = flow.function.name.rsplit(".", 1)[-1]
    risk = "a failure between them leaves the database and the external system disagreeing"
    if order is None or not order.first:
        text = f"`{name}` {commit} and {write} in one flow (order not read): {risk}"
        return ctx.finding_at(flow.function.evidence, text, confidence=Confidence.LOW)
    first, second = (commit, write) if order.first == "commit" else (write, commit)
    sure = None if order.how == "statement" else Confidence.LOW
    text = f"`{name}` {first}, then {second}: {risk}"
    return ctx.finding_at(flow.function.evidence, text, confidence=sure)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    if service_profile(project) is None:
        return
    if any("outbox" in table.name.lower() for table in project.model.schema.tables):
        return
    for flow in Effects(project).dual_writes:
        found = _finding(flow, ctx)
        if found is not None:
            yield found
