"""OBS104: a new exception raised in an `except` block without `from` (ruff's B904)."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS104",
        name="raise-without-from-in-except",
        title="Exception translated inside except without from",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what=(
            "Inside an `except` block a new exception is raised without `from`: "
            "`except NoResultFound: raise HTTPException(404)`, "
            "`except httpx.HTTPError: raise PaymentError(...)`. A bare `raise` and re-raising "
            "the caught name (`raise exc`) are not reported."
        ),
        why=(
            "Python still attaches the original error as `__context__`, but the traceback then "
            'reads "During handling of the above exception, another exception occurred", '
            "which says the handler itself crashed: a deliberate translation of a driver error "
            "into a domain error looks the same as a bug in the except block, and whoever reads "
            "the log or the Sentry event at 3 a.m. first has to work out which it is. For "
            "expected translations (a missing row turned into a 404) the unrelated original "
            "traceback is noise in every log line."
        ),
        fix="""Say what the relation is: `from exc` when the original is the cause, `from None`
when it is an expected condition that the new exception fully describes:

```python
import httpx
from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.exc import NoResultFound


class PaymentProviderError(Exception):
    pass  # the provider failed; the original error is chained as the cause


async def get_order(session, order_id: int):
    try:
        return (await session.execute(select(Order).where(Order.id == order_id))).scalar_one()
    except NoResultFound:
        raise HTTPException(status_code=404, detail="order not found") from None


async def charge(client: httpx.AsyncClient, payload: dict) -> dict:
    try:
        response = await client.post("/charges", json=payload)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise PaymentProviderError("charge failed") from exc
    return response.json()
```""",
        migration=(
            "Mechanical: bind the caught exception (`except X as exc:`) and add `from exc` to "
            "each reported `raise`, or `from None` where the original carries no information "
            "(lookups, validation). Sentry's SDK shows the chained cause next to the new error "
            "and drops the context after `from None`."
        ),
        libraries=("sentry-sdk",),
        references=(
            "https://docs.astral.sh/ruff/rules/raise-without-from-inside-except/",
            "https://docs.python.org/3/tutorial/errors.html#exception-chaining",
        ),
        upstream=("B904",),
    )
)
