"""RACE006: a provider callback copies the event's status onto the payment, in any order."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.provider_status import EventWrite, event_writes
from prodready.analysis.project.refunds import provider_callback
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.transitions import MONEY_MODELS

META = RuleMeta(
    id="RACE006",
    name="provider-event-overwrites-newer-state",
    title="Payment provider event overwrites a newer status",
    dimension=Dimension.STATE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A payment provider's callback sets the stored payment's or order's status from the "
        "event it received (`payment.status = event['object']['status']`, `order.status = "
        "STATUS_MAP[event_type]`, a status setter called with the event's value) and checks "
        "neither the transition (the current status compared first, a conditional `UPDATE "
        "... WHERE status = ...`) nor that the event is newer (its `created` time, a version, "
        "a sequence number)."
    ),
    why=(
        "Providers send one notification per status change and retry each on its own "
        "schedule; Stripe states that it does not guarantee delivery in the order events "
        "were generated, and YooKassa's `payment.waiting_for_capture` retried after a "
        "timeout can arrive after `payment.succeeded`. The late event moves a paid payment "
        "back to `pending` or `waiting_for_capture` (or a refunded one back to "
        "`succeeded`): the user who paid is asked to pay again or loses access at the next "
        "check, a refunded order is shipped, and reports disagree with the provider's."
    ),
    fix="""Allow only forward transitions, atomically, and ignore the rest:

```python
from fastapi import APIRouter, Request
from sqlalchemy import update

from app.db import Session
from app.models import Payment

router = APIRouter()
ALLOWED_FROM = {
    "waiting_for_capture": ("pending",),
    "succeeded": ("pending", "waiting_for_capture"),
    "canceled": ("pending", "waiting_for_capture"),
}


@router.post("/yookassa/webhook")
async def yookassa_webhook(request: Request) -> dict[str, str]:
    event = await request.json()  # after checking the source IP or re-fetching the payment
    new = event["object"]["status"]
    async with Session.begin() as session:
        await session.execute(
            update(Payment)
            .where(
                Payment.provider_id == event["object"]["id"],
                Payment.status.in_(ALLOWED_FROM.get(new, ())),
            )
            .values(status=new)
        )  # no row changed: a stale or repeated event, nothing to do
    return {"status": "ok"}
```

Where events carry a time (Stripe's `created`), store it and update only when the event is
newer; or fetch the object from the provider's API and store its current status.""",
    migration=(
        "Write down the provider's status graph (which statuses are final) and route every "
        "callback through one function that applies it with a conditional UPDATE; for Stripe "
        "add a `last_event_created` column (Alembic `op.add_column`) compared in the WHERE "
        "clause. Reconcile stored statuses with the provider's API once after deploying."
    ),
    libraries=("sqlalchemy", "alembic", "fastapi"),
    references=(
        "https://docs.stripe.com/webhooks#event-ordering",
        "https://yookassa.ru/developers/using-api/webhooks",
        "https://docs.sqlalchemy.org/en/20/tutorial/data_update.html",
    ),
    practices=(Practice.DB_STATE_TRANSITIONS,),
)


def _message(route: str, found: EventWrite) -> str:
    write = found.write
    unchecked = "without checking the current status or the event's order"
    if found.call is not None and found.caller is not None:
        caller = found.caller.short
        via = "" if caller == route else f" (reached from `{route}`)"
        return (
            f"`{caller}`{via} passes the event's status (`{found.value}`) to "
            f"`{found.body.short}`, which sets `{write.target}` {unchecked}: a late event "
            "overwrites a newer status"
        )
    shown = f"`{write.target} = {write.new}`"
    if write.core:
        shown = f"`update({write.model}).values({write.field}={write.new})`"
    if found.branch:
        return (
            f"{shown} on the event (`{found.value}`, in `{route}`'s flow) {unchecked}: "
            "retried late, it moves a paid payment back"
        )
    return (
        f"{shown} takes the status from the provider's event (`{found.value}`, in "
        f"`{route}`'s flow) {unchecked}: a late `pending` overwrites `succeeded`"
    )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    seen: set[tuple[str, int]] = set()
    for route in ctx.project.model.routes:
        if not provider_callback(route) or route.method not in ("POST", "GET", "*"):
            continue
        short = route.function.rsplit(".", 1)[-1]
        for found in event_writes(code, route.function):
            row = found.write.model or found.write.receiver
            if route.receives != "payment" and not MONEY_MODELS.search(row):
                continue  # a webhook of another service (a VPN panel's user status)
            parsed = found.caller.parsed if found.caller else found.body.parsed
            node = found.call if found.call is not None else found.write.node
            key = (parsed.source.path, getattr(node, "lineno", 0))
            if key not in seen:
                seen.add(key)
                yield ctx.finding(parsed, node, _message(short, found))
