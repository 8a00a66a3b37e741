"""OBS103: a bare `except:`, which also catches cancellation and exit (ruff's E722)."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS103",
        name="bare-except",
        title="Bare except catches cancellation and shutdown",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.MAJOR,
        confidence=Confidence.HIGH,
        what=(
            "An `except:` clause with no exception type. ruff leaves it alone only when the "
            "handler re-raises with a bare `raise` at its top level."
        ),
        why=(
            "A bare `except` catches `BaseException`: besides every error it catches "
            "`asyncio.CancelledError`, `KeyboardInterrupt`, `SystemExit` and `GeneratorExit`. "
            "In async code cancellation is how timeouts, task groups and shutdown stop work: a "
            "handler that swallows it keeps running after `asyncio.timeout` expired (the "
            "timeout then silently does nothing), a task group cannot cancel its children, and "
            "SIGTERM-driven graceful shutdown of the bot or API hangs until the orchestrator "
            "kills the process, cutting off every other in-flight update."
        ),
        fix="""Catch the exceptions the block raises (or `Exception`, which lets cancellation and
exit through), log them with their traceback, and put clean-up that must always run in `finally`:

```python
import logging

import httpx

logger = logging.getLogger(__name__)


async def notify_partner(client: httpx.AsyncClient, payload: dict) -> bool:
    try:
        response = await client.post("https://partner.example.org/hook", json=payload)
        response.raise_for_status()
    except httpx.HTTPError:
        logger.warning("partner notification failed", exc_info=True)
        return False
    return True


async def process(update, lock) -> None:
    await lock.acquire()
    try:
        await handle(update)
    finally:
        lock.release()  # runs on errors and on cancellation
```""",
        migration=(
            "Replace each `except:` with the exception types the block can raise; where any "
            "error must be handled use `except Exception:` with `logger.exception(...)`, so "
            "`sentry-sdk` records it. If something must happen on cancellation too, use "
            "`finally` or `async with`, or catch `asyncio.CancelledError`, do the work and "
            "re-raise it."
        ),
        libraries=("sentry-sdk",),
        references=(
            "https://docs.astral.sh/ruff/rules/bare-except/",
            "https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.CancelledError",
        ),
        upstream=("E722",),
    )
)
