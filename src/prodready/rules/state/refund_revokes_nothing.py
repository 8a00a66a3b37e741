"""RACE005: a refund is handled, and what the payment granted stays granted."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.effects import Effects
from prodready.analysis.project.refunds import (
    RefundPath,
    granted,
    refund_paths,
    revoked_elsewhere,
    takes_back,
)
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="RACE005",
    name="refund-revokes-nothing",
    title="Refund handled without revoking what the payment granted",
    dimension=Dimension.STATE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The project has a refund path — a handler of Telegram's `refunded_payment` service "
        "message (aiogram `F.refunded_payment`, PTB `filters.StatusUpdate.REFUNDED_PAYMENT`), "
        "an admin command that calls `refund_star_payment`, or the branch of a payment "
        "provider's callback for a refund or chargeback (`refund.succeeded`, "
        "`charge.refunded`, `charge.dispute.created`, Cryptomus `refund_paid`) — but the "
        "path only logs or sends a message: nothing it runs writes to the database, calls "
        "the service that granted access, or marks the payment refunded, while the "
        "successful payment's flow did write (a subscription, a balance, an order)."
    ),
    why=(
        "The money goes back and the goods stay: the subscription keeps running to its "
        "paid-for end, the credited balance can still be spent, the VPN key keeps working. "
        "Anyone who learns this buys, asks for a refund (or opens a chargeback) and keeps "
        'what they bought; support sees "refund done" in the log and nothing in the '
        "database says the payment was refunded, so reports still count it as revenue and "
        "nobody can find the users to revoke by hand later."
    ),
    fix="""In the refund path, mark the payment refunded and take back what it granted, in
one transaction and only once (the same event may come again):

```python
from aiogram import F, Router
from aiogram.types import Message
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Payment, Subscription

router = Router()


@router.message(F.refunded_payment)
async def on_refunded_payment(message: Message, session: AsyncSession) -> None:
    refund = message.refunded_payment
    async with session.begin():
        payment = await session.scalar(
            update(Payment)
            .where(
                Payment.charge_id == refund.telegram_payment_charge_id,
                Payment.refunded_at.is_(None),
            )
            .values(refunded_at=message.date)
            .returning(Payment)
        )
        if payment is None:
            return  # unknown charge, or already refunded
        await session.execute(
            update(Subscription)
            .where(Subscription.user_id == payment.user_id)
            .values(expires_at=Subscription.expires_at - payment.period)
        )
    await message.answer("Your payment was refunded; the subscription was shortened.")
```

For a provider refund event do the same in its branch (`if event == "refund.succeeded":`),
after the callback's signature or source check.""",
    migration=(
        "Store what each payment granted next to it (the subscription days, the credited "
        "amount, the key issued) so a refund can undo exactly that; add a `refunded_at` "
        "column to the payments table with an Alembic migration; then make the refund path "
        "call one service function that revokes and marks the payment, and let the admin "
        "refund command and the provider's refund event both go through it. Look up past "
        "refunds (the provider's report, Telegram's `getStarTransactions`) and revoke those "
        "by hand once."
    ),
    libraries=("sqlalchemy", "alembic", "aiogram", "python-telegram-bot"),
    references=(
        "https://core.telegram.org/bots/api#refundedpayment",
        "https://core.telegram.org/bots/api#refundstarpayment",
        "https://yookassa.ru/developers/using-api/webhooks",
        "https://docs.stripe.com/api/events/types#event_types-charge.refunded",
    ),
)

_WHAT = {
    "refunded_payment": "handles the `refunded_payment` message",
    "refund_star_payment": "refunds Stars (`refund_star_payment`)",
    "provider": "handles the provider's refund event",
}


def _message(path: RefundPath, grant: str) -> str:
    short = path.function.rsplit(".", 1)[-1]
    what = _WHAT[path.kind]
    if path.kind == "provider":
        what = f"handles the provider's `{path.event}` event"
    return (
        f"`{short}` {what} but writes and revokes nothing: what the payment granted "
        f"({grant}) stays granted"
    )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    paths = refund_paths(code)
    if not paths:
        return
    effects = Effects(ctx.project)
    for path in paths:
        if takes_back(code, effects, path) or revoked_elsewhere(code, path):
            continue
        grant = granted(code, path)
        if grant is None:
            continue  # the payment wrote nothing (a donation, a message): nothing to revoke
        yield ctx.finding_at(path.evidence, _message(path, grant.shown()))
