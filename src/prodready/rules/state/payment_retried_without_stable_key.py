"""RACE007: a payment, refund or payout created inside a retry with no key that survives it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.strings import local_values
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import retried_code

META = RuleMeta(
    id="RACE007",
    name="payment-retried-without-stable-key",
    title="Payment, refund or payout created in a retry without a stable idempotency key",
    dimension=Dimension.STATE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A YooKassa `Payment` / `Refund` / `Payout.create(...)` or a Stripe `PaymentIntent` / "
        "`Charge` / `Refund` / `Payout` / `Transfer.create(...)` runs inside a retry (a tenacity "
        "`@retry` / `AsyncRetrying` loop, `@backoff.on_exception`, `@stamina.retry`) and its "
        "idempotency key is missing or made fresh on every attempt (`uuid.uuid4()` inside the "
        "retried code). The YooKassa SDK makes its own random key when none is given."
    ),
    why=(
        "A timeout does not mean the provider did nothing: the payment or refund may have been "
        "created and only the answer lost. The retry then sends the same operation under a new "
        "key, and the provider, which deduplicates by key only, creates it a second time: the "
        "customer is charged twice, refunded twice, or paid out twice."
    ),
    fix="""Make the key once, from the operation, before the first attempt, and reuse it:

```python
import stamina
from yookassa import Refund


@stamina.retry(on=ConnectionError, attempts=4)
def _create_refund(params: dict[str, object], key: str) -> Refund:
    return Refund.create(params, key)  # the same key on every attempt


def refund_order(order_id: int, payment_id: str, amount: str) -> Refund:
    key = f"refund-{order_id}"  # derived from the operation, stored with the order
    params = {"payment_id": payment_id, "amount": {"value": amount, "currency": "RUB"}}
    return _create_refund(params, key)
```""",
    migration=(
        "Derive the key from what identifies the operation (order id, refund id, payout row id)"
        " or generate it once and store it with the row before calling the provider; pass it "
        "into the retried function as a parameter. With Stripe pass `idempotency_key=`; with "
        "YooKassa the second argument of `create`."
    ),
    libraries=("stamina", "tenacity", "yookassa", "stripe"),
    references=(
        "https://docs.stripe.com/api/idempotent_requests",
        "https://yookassa.ru/developers/using-api/interaction-format#idempotence",
    ),
    practices=(Practice.IDEMPOTENCY_KEYS,),
)

# qualified call -> position of the key among the positional arguments (None: keyword only)
_CREATES: dict[str, int | None] = {
    f"yookassa.{kind}.create": 1 for kind in ("Payment", "Refund", "Payout")
} | {
    f"stripe.{kind}.{method}": None
    for kind in ("PaymentIntent", "Charge", "Refund", "Payout", "Transfer")
    for method in ("create", "create_async")
}


def _key(call: ast.Call, position: int | None) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == "idempotency_key"), None)
    if keyword is not None or position is None:
        return keyword
    return call.args[position] if len(call.args) > position else None


def _fresh(expr: ast.AST, semantic: SemanticModel) -> bool:
    return any(
        isinstance(n, ast.Call) and semantic.qualified_name(n.func) in ("uuid.uuid4", "uuid.uuid1")
        for n in ast.walk(expr)
    )


def _made_per_attempt(
    key: ast.expr | None, scope: ast.AST, fn: FunctionNode, sm: SemanticModel
) -> bool:
    """No key, or one made fresh inside the retried code (`scope`)."""
    if key is None:
        return True
    if _fresh(key, sm):
        return True
    if not isinstance(key, ast.Name):
        return False
    values = local_values(key.id, fn) or []
    inside = {id(n) for n in ast.walk(scope)}
    return bool(values) and all(id(v) in inside and _fresh(v, sm) for v in values)


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func) or ""
    function = ctx.semantic.enclosing_function()
    if name not in _CREATES or function is None:
        return
    scope = retried_code(function, ctx.semantic)
    key = _key(node, _CREATES[name])
    if scope is None or not _made_per_attempt(key, scope, function, ctx.semantic):
        return
    label = name.split(".", 1)[1]
    how = "with no idempotency key" if key is None else "with a key made afresh on each attempt"
    yield ctx.finding(
        node,
        f"`{label}(...)` is retried {how}: an attempt whose answer was lost is created again",
    )
