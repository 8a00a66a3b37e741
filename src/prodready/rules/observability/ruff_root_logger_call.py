"""OBS107: logging through the root logger with `logging.info(...)` and friends (ruff's LOG015)."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS107",
        name="root-logger-call",
        title="Logging through the root logger",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what=(
            "The module-level functions `logging.debug/info/warning/warn/error/critical/"
            "exception/log(...)` (also imported by name) log through the root logger instead "
            "of a logger named after the module. (`logging.getLogger().info(...)` is not "
            "reported by ruff.)"
        ),
        why=(
            "Every record is named `root`, so nothing says whether it came from the payment "
            "handler, the scheduler or a library, and per-module levels cannot apply (you "
            "cannot quiet one chatty module or turn on debug for one). And when the root "
            "logger has no handler yet, these functions call `logging.basicConfig()` "
            "themselves: a stray `logging.info` at import time installs a plain stderr handler, "
            "and the service's own later `basicConfig(...)` (its JSON format, its level) "
            "silently does nothing."
        ),
        fix="""Use a logger named after the module (stdlib), or structlog's logger:

```python
import logging

import structlog

logger = logging.getLogger(__name__)
log = structlog.get_logger()


async def cancel_subscription(user_id: int) -> None:
    logger.info("subscription cancelled user_id=%s", user_id)
    log.info("subscription_cancelled", user_id=user_id)
```""",
        migration=(
            "Add `logger = logging.getLogger(__name__)` at the top of each module and replace "
            "`logging.<level>(` with `logger.<level>(`. Configure logging once, in the entry "
            "point, before anything logs (`logging.config.dictConfig` or structlog's "
            "`configure`), and set levels per package there (for example `aiogram` at "
            "`WARNING`, your `app.payments` at `INFO`)."
        ),
        libraries=("structlog",),
        references=(
            "https://docs.astral.sh/ruff/rules/root-logger-call/",
            "https://docs.python.org/3/howto/logging.html#advanced-logging-tutorial",
        ),
        upstream=("LOG015",),
    )
)
