"""OBS106: log messages built before the call (f-string, format, %, +), ruff's G001-G004."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS106",
        name="eager-log-formatting",
        title="Log message formatted eagerly instead of structured fields",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.INFO,
        confidence=Confidence.HIGH,
        what=(
            "A logging call builds its message itself: an f-string "
            '(`logger.info(f"user {user_id} paid {amount}")`), `str.format`, `%` or `+` '
            "concatenation. ruff recognises loggers by name (`logging`, names starting with "
            "`log` or ending in `logger`)."
        ),
        why=(
            "Each call produces a different string, so log search, alerting and error tracking "
            "cannot group events: Sentry groups logging events by the message template, so "
            '`f"payment failed for {user_id}"` opens one issue per user instead of one issue '
            "with a count, alerts on the message never match, and values such as `order_id` "
            "cannot be filtered as fields. The string is also built even when the level is "
            "disabled, on every update of a busy bot."
        ),
        fix="""Log an event name with key-value fields (structlog), or with stdlib `logging` pass
the values as lazy `%`-arguments:

```python
import logging

import structlog

logger = structlog.get_logger()
stdlib_logger = logging.getLogger(__name__)


async def on_payment(user_id: int, amount: int, currency: str) -> None:
    logger.info("payment_received", user_id=user_id, amount=amount, currency=currency)
    stdlib_logger.info("payment received user_id=%s amount=%s", user_id, amount)
```""",
        migration=(
            "`ruff check --select G004 --fix --unsafe-fixes` rewrites many f-strings into lazy "
            "`%`-style calls. For structured logs configure structlog once at start-up (JSON "
            "renderer in production, `structlog.stdlib` integration so library records share "
            "the format), bind per-update context (`user_id`, `chat_id`, `update_id`, request "
            "id) in a middleware with `structlog.contextvars.bind_contextvars`, and log event "
            "names with fields instead of sentences."
        ),
        libraries=("structlog",),
        references=(
            "https://docs.astral.sh/ruff/rules/logging-f-string/",
            "https://docs.astral.sh/ruff/rules/logging-string-format/",
            "https://docs.astral.sh/ruff/rules/logging-percent-format/",
            "https://docs.astral.sh/ruff/rules/logging-string-concat/",
            "https://docs.python.org/3/howto/logging.html#optimization",
            "https://www.structlog.org/en/stable/contextvars.html",
        ),
        upstream=("G001", "G002", "G003", "G004"),
    )
)
