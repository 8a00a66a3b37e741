"""SEC012: a payment provider's callback trusted without verifying where it comes from."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.callbacks import CALLBACK_METHODS, first_write, route_code, verification

META = RuleMeta(
    id="SEC012",
    name="payment-webhook-signature-unverified",
    title="Payment callback trusted without a signature check",
    dimension=Dimension.SECURITY,
    severity=Severity.BLOCKER,
    confidence=Confidence.MEDIUM,
    what=(
        "A payment provider's callback route reaches code that credits, activates or marks "
        "paid, and nothing on the way checks that the provider sent it. Accepted checks: an "
        "HMAC / signature verification (`hmac.new` + `hmac.compare_digest`, "
        "`stripe.Webhook.construct_event`, Crypto Pay's `crypto-pay-api-signature`, a "
        "provider's MD5/SHA signature compared with the secret), a source-IP allow-list "
        "(YooKassa's `SecurityHelper().is_ip_trusted(ip)` or `ipaddress` networks), or "
        "fetching the payment back from the provider's API by its id before trusting it "
        "(YooKassa `Payment.find_one(payment_id)`, an HTTP GET to the provider)."
    ),
    why=(
        "The callback URL is not a secret: it is in the provider's dashboard, in logs, often "
        "guessable (`/yookassa/webhook`). Without a check anyone can POST "
        '`{"event": "payment.succeeded", ...}` with their own user id and an order id and '
        "receive the goods, the balance or the subscription for free — repeatedly, and with "
        "a script. The forged payment appears in the bot's records as real until someone "
        "reconciles with the provider."
    ),
    fix="""Verify the signature on the raw body before parsing it (Crypto Pay shown), or fetch
the payment back from the provider when it signs nothing (YooKassa):

```python
import hashlib
import hmac

from fastapi import APIRouter, Header, HTTPException, Request

router = APIRouter()


@router.post("/payments/cryptobot/webhook")
async def cryptobot_webhook(
    request: Request, crypto_pay_api_signature: str = Header(...)
) -> dict[str, bool]:
    body = await request.body()
    secret = hashlib.sha256(request.app.state.settings.cryptopay_token.encode()).digest()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, crypto_pay_api_signature):
        raise HTTPException(status_code=401, detail="bad signature")
    await request.app.state.billing.on_invoice_paid(await request.json())
    return {"ok": True}
```

YooKassa: `payment = Payment.find_one(event["object"]["id"])` and trust only `payment.status`
and `payment.amount` read back (with an IP allow-list as a first filter). Stripe:
`stripe.Webhook.construct_event(body, signature, endpoint_secret)`.""",
    migration=(
        "Read the provider's docs for its scheme (header name, hash, secret), add the secret "
        "to the settings as a `SecretStr`, verify on the raw bytes (before JSON parsing and "
        "before any write) and answer 401 on mismatch. Roll out logging the verdict first if "
        "unsure of the scheme, then enforce. Where the provider signs nothing, re-fetch the "
        "payment by id and compare amount and currency with the stored order."
    ),
    libraries=("fastapi", "stripe", "yookassa"),
    references=(
        "https://help.crypt.bot/crypto-pay-api#verifying-webhook-updates",
        "https://docs.stripe.com/webhooks#verify-events",
        "https://yookassa.ru/developers/using-api/webhooks",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    for route in ctx.project.model.routes:
        if route.receives != "payment" or route.method not in CALLBACK_METHODS:
            continue
        reached = route_code(code, route)
        found = first_write(reached)
        if found is None or verification(ctx.project, route, reached) is not None:
            continue
        write = found[0]
        short = route.function.rsplit(".", 1)[-1]
        yield ctx.finding_at(
            route.evidence,
            f"`{short}` ({route.method} {route.path}) writes ({write.shown(route.function)}) "
            "on a callback nothing verifies: no signature, no IP allow-list, no re-fetch of "
            "the payment from the provider",
        )
