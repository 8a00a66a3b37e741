"""RACE004: a payment provider's callback that writes state without deduplicating it."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.callbacks import CALLBACK_METHODS, deduplication, first_write, route_code

META = RuleMeta(
    id="RACE004",
    name="provider-webhook-not-deduplicated",
    title="Payment provider callback processed without deduplication",
    dimension=Dimension.STATE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A payment provider's callback route (YooKassa, Stripe, CryptoBot / Crypto Pay, "
        "Cryptomus, CloudPayments, Tribute, any POST named like a payment webhook or reading "
        "a provider's notification fields such as Robokassa's `InvId` / `SignatureValue`) "
        "reaches code that writes state "
        "— credits a balance, activates a subscription, marks an order paid — and nothing "
        "makes a second delivery of the same event a no-op: no unique constraint or upsert on "
        "the provider's payment / event id, no check of the stored payment's status, no row lock."
    ),
    why=(
        "Providers deliver callbacks at least once and retry on any timeout or non-2xx "
        "answer; some send several events for one payment (`waiting_for_capture`, then "
        "`succeeded`), and two retries can arrive at the same time on two workers. Each "
        "delivery that writes again credits the balance again or extends the subscription "
        "again: the shop pays out twice for one payment, and reconciliation with the "
        "provider's report shows it only weeks later."
    ),
    fix="""Record the provider's id with a unique constraint, and act only on the first delivery:

```python
from fastapi import APIRouter, Request
from sqlalchemy import String, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

router = APIRouter()


class Base(DeclarativeBase):
    pass


class ProviderEvent(Base):
    __tablename__ = "provider_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_payment_id: Mapped[str] = mapped_column(String(64), unique=True)


@router.post("/payments/yookassa/webhook")
async def yookassa_webhook(request: Request) -> dict[str, str]:
    event = await request.json()
    payment_id = event["object"]["id"]
    async with request.app.state.sessions.begin() as session:
        first = await session.execute(
            insert(ProviderEvent)
            .values(provider_payment_id=payment_id)
            .on_conflict_do_nothing(index_elements=["provider_payment_id"])
            .returning(ProviderEvent.id)
        )
        if first.scalar_one_or_none() is not None:
            await request.app.state.billing.mark_paid(session, payment_id)
    return {"status": "ok"}
```

Alternatively load the order `with_for_update()` and change it only from `pending` to
`paid` (`UPDATE orders SET status = 'paid' WHERE id = :id AND status = 'pending'`).""",
    migration=(
        "Add a `provider_payment_id` (or event id) column with a unique constraint to the "
        "payments table, backfill it from stored callbacks, resolve existing duplicates by "
        "hand, then switch the handler to insert-or-ignore inside the transaction that grants. "
        "Keep answering 2xx to duplicates, so the provider stops retrying."
    ),
    libraries=("sqlalchemy", "alembic", "fastapi"),
    references=(
        "https://yookassa.ru/developers/using-api/webhooks",
        "https://docs.stripe.com/webhooks#handle-duplicate-events",
        "https://help.crypt.bot/crypto-pay-api#webhooks",
    ),
    practices=(Practice.IDEMPOTENCY_KEYS,),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    for route in ctx.project.model.routes:
        if route.receives != "payment" or route.method not in CALLBACK_METHODS:
            continue
        reached = route_code(code, route)
        found = first_write(reached)
        if found is None or deduplication(reached, *found) is not None:
            continue
        write = found[0]
        short = route.function.rsplit(".", 1)[-1]
        yield ctx.finding_at(
            route.evidence,
            f"`{short}` ({route.method} {route.path}) writes ({write.shown(route.function)}) "
            "with no deduplication on the provider's payment or event id: a retried callback "
            "is applied twice",
        )
