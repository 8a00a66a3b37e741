"""OBS102: `except Exception: pass` / `continue`, as ruff's S110 and S112 find them."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS102",
        name="try-except-pass",
        title="Broad except that silently passes or continues",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.MAJOR,
        confidence=Confidence.HIGH,
        what=(
            "An `except Exception:`, `except BaseException:` or bare `except:` whose whole body "
            "is `pass` (ruff S110) or, inside a loop, `continue` (S112). Narrow exceptions "
            "(`except KeyError: pass`) are not reported. Where prodready's own OBS001 reports "
            "the same handler (in async code, with more context), only OBS001 is shown."
        ),
        why=(
            "Every failure of the guarded block vanishes: no log line, no Sentry event, no "
            "metric. A payment is charged but never recorded, a renewal job reports success "
            "while every iteration failed on a revoked token or a database outage, and users "
            "report the problem before monitoring does, with nothing in the logs to debug. "
            "Framework error handlers (aiogram `@router.errors()`, PTB `add_error_handler`, "
            "FastAPI exception handlers) only see errors that escape the handler."
        ),
        fix="""Log unexpected errors with their traceback; ignore only the narrow exception you
expect, and say so with `contextlib.suppress`:

```python
import contextlib
import logging

from aiogram.exceptions import TelegramBadRequest

logger = logging.getLogger(__name__)


async def renew_subscriptions(subscriptions, billing) -> None:
    for subscription in subscriptions:
        try:
            await billing.charge(subscription)
        except Exception:
            logger.exception("renewal failed", extra={"subscription_id": subscription.id})


async def delete_hint(message) -> None:
    with contextlib.suppress(TelegramBadRequest):  # already deleted: harmless
        await message.delete()
```""",
        migration=(
            "For each reported handler decide: an expected, harmless failure becomes "
            "`contextlib.suppress(ThatError)` or `except ThatError:` with the narrow type; an "
            "unexpected one is logged with `logger.exception` (or structlog's "
            "`log.exception`) and, on a request path, left to propagate to the framework's error "
            "handler. Initialise `sentry-sdk` once at start-up so those records become events "
            "with stack traces."
        ),
        libraries=("sentry-sdk", "structlog"),
        references=(
            "https://docs.astral.sh/ruff/rules/try-except-pass/",
            "https://docs.astral.sh/ruff/rules/try-except-continue/",
            "https://docs.python.org/3/library/contextlib.html#contextlib.suppress",
        ),
        upstream=("S110", "S112"),
        overlaps=("OBS001",),
    )
)
