"""RACE002: a pre-checkout query answered ok=True without looking at the order."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.payments import payment_handlers
from prodready.analysis.project.writes import first_write
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.checkout import blind_pre_checkout_answer

META = RuleMeta(
    id="RACE002",
    name="pre-checkout-accepts-blindly",
    title="Pre-checkout query accepted without checking the order",
    dimension=Dimension.STATE,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "In a bot that grants something for a payment, the `pre_checkout_query` handler "
        "answers `ok=True` (`query.answer(ok=True)`, "
        "`bot.answer_pre_checkout_query(query.id, ok=True)`) before reading anything of the "
        "query — `invoice_payload`, `total_amount`, `currency`, `from_user` — and without "
        "passing it to any check. It can never say no."
    ),
    why=(
        "The pre-checkout query is the last moment to refuse a payment; after `ok=True` it "
        "goes through. An invoice stays payable after it is sent: meanwhile the plan was "
        "removed, the price changed, the item sold out, the order was paid through a second "
        "invoice (a double tap on Buy) — and an invoice message sent without "
        "`start_parameter` can be forwarded and paid by other users. Each becomes a payment "
        "the bot cannot deliver: refunds by hand, disputes, angry users. The check must be "
        "fast — the Bot API must receive the answer within 10 seconds: look the order up in "
        "the database or a cache, never call slow external APIs here."
    ),
    fix="""Validate the payload against the order and answer `ok=False` with a reason:

```python
from aiogram import Router
from aiogram.types import PreCheckoutQuery

router = Router()


@router.pre_checkout_query()
async def on_pre_checkout(query: PreCheckoutQuery, orders) -> None:
    order = await orders.get_pending(query.invoice_payload)  # one indexed lookup
    if order is None or order.user_id != query.from_user.id:
        await query.answer(ok=False, error_message="This invoice is no longer valid.")
        return
    if order.total_amount != query.total_amount or order.currency != query.currency:
        await query.answer(ok=False, error_message="The price has changed, please reorder.")
        return
    await query.answer(ok=True)
```

PTB: the same in a `PreCheckoutQueryHandler` callback with `update.pre_checkout_query`.
Deliver the goods in the `successful_payment` handler, not here.""",
    migration=(
        "Put an order id in the invoice payload when the invoice is created (a short opaque id, "
        "1–128 bytes — never the price or the user's rights), store the pending order with "
        "its amount, currency and user, and check them here. Answer within 10 seconds: keep "
        "the lookup to one indexed query, and answer `ok=False` if the check itself fails."
    ),
    libraries=("aiogram", "python-telegram-bot"),
    references=(
        "https://core.telegram.org/bots/api#answerprecheckoutquery",
        "https://core.telegram.org/bots/api#sendinvoice",
        "https://docs.aiogram.dev/en/latest/api/methods/answer_pre_checkout_query.html",
    ),
)

_ALWAYS = re.compile(r"^lambda\s*\w*\s*:\s*True$")


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    if not any(first_write(code, h.function) for h in payment_handlers(code)):
        return  # nothing is granted for a payment (a donation, a thank-you): nothing to check
    for handler in ctx.project.model.handlers:
        if handler.update != "pre_checkout_query":
            continue
        if any(not _ALWAYS.match(text) for text in handler.filters):
            continue  # a filter on the query (payload, currency, pattern=) is a check
        body = code.body(handler.function)
        answer = blind_pre_checkout_answer(body.node) if body is not None else None
        if body is None or answer is None:
            continue
        yield ctx.finding(
            body.parsed,
            answer,
            f"`{body.short}` accepts every pre-checkout query: nothing of the order "
            "(payload, amount, currency, user) is checked before `ok=True`",
        )
