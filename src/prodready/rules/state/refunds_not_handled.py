"""RACE003: Stars payments are taken, and refunds are never handled."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.payments import (
    handles_refunds,
    invoice_sites,
    payment_handlers,
    refund_calls,
    stars_evidence,
)
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="RACE003",
    name="refunds-not-handled",
    title="Telegram Stars refunds never handled",
    dimension=Dimension.STATE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        'The bot sells for Telegram Stars (`currency="XTR"`, a `successful_payment` '
        "handler) but nothing handles a refund: no handler for the `refunded_payment` service "
        "message (aiogram `F.refunded_payment`, PTB `filters.StatusUpdate.REFUNDED_PAYMENT`, "
        "Bot API 7.7) and no `refund_star_payment` call anywhere."
    ),
    why=(
        "Stars payments get refunded — support requests, a `refundStarPayment` run from an "
        "admin tool or a script sharing the token — and the bot is told with a "
        "`refunded_payment` service message, which it ignores: the user keeps the "
        "subscription, the credits or the key they got their Stars back for. Nothing records "
        "the refund either, so revenue reports and support still see a paid customer. Without "
        "a refund path in the bot, every refund is done by hand and nothing revokes what was "
        "granted."
    ),
    fix="""Handle the refund message: mark the payment refunded and revoke what it granted,
idempotently (the same message may come twice):

```python
from aiogram import F, Router
from aiogram.types import Message

router = Router()


@router.message(F.refunded_payment)
async def on_refunded_payment(message: Message, billing) -> None:
    refund = message.refunded_payment
    revoked = await billing.revoke_payment(
        charge_id=refund.telegram_payment_charge_id,
        user_id=message.from_user.id,
    )  # UPDATE payments SET refunded_at = now() WHERE charge_id = ... AND refunded_at IS NULL
    if revoked:
        await message.answer("Your payment was refunded; Premium has been switched off.")
```

For refunds the bot starts itself, call `bot.refund_star_payment(user_id, charge_id)` and
revoke in the same service function. PTB:
`MessageHandler(filters.StatusUpdate.REFUNDED_PAYMENT, callback)`.""",
    migration=(
        "Store `telegram_payment_charge_id` for every payment (it is the key refunds carry), "
        "add a `refunded_at` column, and make revocation a conditional update (`... WHERE "
        "refunded_at IS NULL`) so a repeated message changes nothing. Requires aiogram ≥ 3.10 "
        "or python-telegram-bot ≥ 21.4 (Bot API 7.7); subscribe to the `message` updates that "
        "carry it if `allowed_updates` is restricted."
    ),
    libraries=("aiogram", "python-telegram-bot"),
    references=(
        "https://core.telegram.org/bots/api#refundedpayment",
        "https://core.telegram.org/bots/api#refundstarpayment",
        "https://docs.aiogram.dev/en/latest/api/types/refunded_payment.html",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    code = Code(project, ctx.files)
    handlers = payment_handlers(code)
    if not handlers and not invoice_sites(project):
        return
    if refund_calls(project) or handles_refunds(code):
        return
    if not stars_evidence(code):
        return  # refunds of provider (card) payments are made outside the Bot API
    if handlers:
        where, what = handlers[0].evidence, f"`{handlers[0].function.rsplit('.', 1)[-1]}`"
    else:
        where, what = invoice_sites(project)[0], "invoices"
    yield ctx.finding_at(
        where,
        f"Stars are sold here ({what}) but no `refunded_payment` handler nor "
        "`refund_star_payment` call exists: a refunded user keeps what they bought",
        confidence=Confidence.HIGH if handlers else None,
    )
