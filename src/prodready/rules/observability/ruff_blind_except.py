"""OBS101: a broad `except` that keeps neither the error nor its traceback (ruff's BLE001)."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS101",
        name="blind-except",
        title="Broad except that neither re-raises nor logs the traceback",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what=(
            "`except Exception:` or `except BaseException:` (alone or in a tuple) whose handler "
            "neither re-raises (`raise`, `raise ... from exc`) nor logs the traceback "
            "(`logger.exception(...)`, `exc_info=True`). ruff recognises loggers by name "
            "(`logging`, names starting with `log` or ending in `logger`), so a handler that "
            "only calls `sentry_sdk.capture_exception()` is still reported. Where the handler "
            "is also reported as swallowing the error (OBS001, OBS102), only that is shown."
        ),
        why=(
            "Every failure of the block (a bug, a timeout, a revoked token, a database outage) "
            "takes the same branch, and what reaches the logs is at best `str(exc)` with no "
            "stack trace: on-call cannot tell a `KeyError` in your code from a network error, "
            "and Sentry gets nothing. `except BaseException` also catches "
            "`asyncio.CancelledError` (a `BaseException` since Python 3.8), `KeyboardInterrupt` "
            "and `SystemExit`: a cancelled handler keeps running, `asyncio.timeout` and task "
            "groups stop bounding it, and graceful shutdown hangs until the pod is killed."
        ),
        fix="""Catch what you expect; where a boundary must catch everything (a worker loop, a job
wrapper) log it with its traceback, which sentry-sdk's logging integration also turns into an event:

```python
import logging

import httpx

logger = logging.getLogger(__name__)


async def refresh_rates(client: httpx.AsyncClient) -> dict | None:
    try:
        response = await client.get("https://rates.example.org/latest")
        response.raise_for_status()
    except httpx.HTTPError:
        logger.warning("rates refresh failed, keeping cached rates", exc_info=True)
        return None
    return response.json()


async def worker(queue) -> None:
    while True:
        job = await queue.get()
        try:
            await job.run()
        except Exception:
            logger.exception("job failed", extra={"job_id": job.id})
```""",
        migration=(
            "Go handler by handler: list what the block can raise and catch those types; keep "
            "`except Exception` only at boundaries (worker loops, job wrappers) and log it there "
            "with `logger.exception`, or leave it to the framework's error handler (aiogram "
            "`@router.errors()`, PTB `add_error_handler`, FastAPI exception handlers) with "
            "`sentry-sdk` initialised once at start-up. Never catch `BaseException` in async "
            "code: put clean-up in `finally`. A handler that reports to Sentry directly is "
            "fine: suppress it with a reason."
        ),
        libraries=("sentry-sdk", "structlog"),
        references=(
            "https://docs.astral.sh/ruff/rules/blind-except/",
            "https://docs.python.org/3/library/exceptions.html#exception-hierarchy",
        ),
        upstream=("BLE001",),
        overlaps=("OBS001", "OBS102"),
    )
)
