"""QUAL002: an HTTP route reads its body as a plain dict instead of a validated model."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.payloads import untyped_payload
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.defs import def_at

META = RuleMeta(
    id="QUAL002",
    name="untyped-route-payload",
    title="Route payload handled as a plain dict",
    dimension=Dimension.QUALITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A FastAPI / Starlette / aiohttp route takes its body as `dict`, `Dict[str, Any]` or "
        "`Any` — or reads `await request.json()` — and picks fields out of it itself "
        "(`data['status']`, `data.get('amount')`) instead of parsing it into a pydantic "
        "model. A payload handed whole to a parser or a use case, and Telegram update routes, "
        "are not reported."
    ),
    why=(
        "Nothing checks the payload: a missing field raises `KeyError` (a 500 the provider "
        "retries forever), a string amount slips into arithmetic, an unexpected type reaches "
        "the database, and a payment callback with a forged or malformed body is processed "
        "half-way. The accepted shape lives only in scattered `.get()` calls, so the API "
        "documentation (OpenAPI) shows nothing either."
    ),
    fix="""Declare the payload as a pydantic model; FastAPI validates it and answers 422 otherwise:

```python
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter()


class PaymentEvent(BaseModel):
    event: Literal["payment.succeeded", "payment.canceled"]
    payment_id: str
    amount: Decimal


@router.post("/webhooks/payments")
async def payment_webhook(event: PaymentEvent) -> dict[str, str]:
    return {"status": "accepted", "payment": event.payment_id}
```

aiohttp: `event = PaymentEvent.model_validate(await request.json())`.""",
    migration=(
        "Write the model from the provider's documented payload (or from logged samples), "
        "allow unknown extra fields (`model_config = ConfigDict(extra='ignore')`), replace "
        "the dict lookups with attributes route by route, and keep the signature / secret "
        "check before parsing."
    ),
    libraries=("pydantic", "fastapi"),
    references=(
        "https://fastapi.tiangolo.com/tutorial/body/",
        "https://docs.pydantic.dev/latest/concepts/models/",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    for route in project.model.routes:
        if route.receives == "telegram" or route.method.upper() in {"GET", "HEAD", "DELETE"}:
            continue
        info = project.calls.functions.get(route.function)
        parsed = ctx.file(info.evidence.path) if info is not None else None
        node = def_at(parsed, info.evidence.line) if parsed and info else None
        problem = untyped_payload(node, route.framework, route.path) if node is not None else None
        if problem is not None:
            yield ctx.finding_at(
                route.evidence,
                f"`{route.method} {route.path}` takes its payload untyped ({problem}): "
                "nothing validates its shape",
            )
