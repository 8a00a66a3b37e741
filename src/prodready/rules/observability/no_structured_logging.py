"""OBS003: a service that logs only unstructured text."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.profile import first_import, service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="OBS003",
    name="no-structured-logging",
    title="No structured logging for a running service",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The service logs with plain `logging` format strings; no structured logger "
        "(structlog, a JSON formatter such as python-json-logger, loguru) is set up, so log "
        "lines carry no machine-readable fields such as `user_id`, `update_id`, `payment_id`."
    ),
    why=(
        'When a payment goes wrong the question is "what happened to *this* user / charge". '
        "With free-text lines you grep and guess; with fields you filter by `user_id=...` "
        "across instances in seconds, build alerts on `event=payment_failed`, and correlate a "
        "Telegram update with the database writes and outbound calls it caused."
    ),
    fix="""Configure structlog once; bind context per update or request:

```python
import logging

import structlog


def configure_logging() -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
    )


async def bind_update_context(handler, event, data):
    structlog.contextvars.bind_contextvars(update_id=getattr(event, "update_id", None))
    return await handler(event, data)
```""",
    migration=(
        "Configure structlog (or python-json-logger for stdlib `logging`) in `main()`; add an "
        "outer middleware that binds `update_id` / `user_id` (aiogram "
        "`dp.update.outer_middleware`) "
        "or the request id (FastAPI middleware); convert the most important log calls to "
        '`log.info("payment_succeeded", user_id=..., charge_id=...)` first.'
    ),
    libraries=("structlog", "python-json-logger", "loguru"),
    references=(
        "https://www.structlog.org/en/stable/getting-started.html",
        "https://www.structlog.org/en/stable/contextvars.html",
    ),
)

_STRUCTURED = ("structlog", "pythonjsonlogger", "json_log_formatter", "loguru", "ecs_logging")


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    profile = service_profile(ctx.project)
    if profile is None or first_import(ctx.project, _STRUCTURED) is not None:
        return
    if first_import(ctx.project, ("logging",)) is None:
        return
    yield ctx.finding_at(
        profile.entry, "logs are free text: no structlog or JSON formatter configured"
    )
