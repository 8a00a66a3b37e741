"""OBS013: a service whose error logs in handler code say nothing about the user or request."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.profile import first_import, service_profile
from prodready.analysis.project.request_code import request_log_calls
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="OBS013",
    name="logs-without-request-context",
    title="Error logs in handlers carry no user, update or request id",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "Most warning / error / exception log calls in the service's handlers and routes (and "
        "the code they call) name no user, chat, update, order or request, and nothing binds "
        "such context to every log line: no structlog `bind_contextvars`, no loguru "
        "`contextualize`, no `logging.LoggerAdapter`, no `logging.Filter` that adds fields "
        "from a contextvar, no correlation-id middleware."
    ),
    why=(
        'During an incident the log says "Payment failed" fifty times and nothing else: you '
        "cannot tell which user or update each line belongs to, answer a support ticket, or "
        "group the lines of one request (two updates interleave in an async service). The "
        "traceback shows *where* it failed, never *for whom*; a user id and an update or "
        "request id on every line turn a grep into a filter."
    ),
    fix="""Bind the context once per update / request in an outer middleware; every log line of
that update then carries it (structlog with `merge_contextvars`):

```python
import structlog
from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.JSONRenderer(),
    ]
)


class LogContextMiddleware(BaseMiddleware):
    async def __call__(self, handler, event: TelegramObject, data: dict):
        structlog.contextvars.clear_contextvars()
        user = data.get("event_from_user")
        structlog.contextvars.bind_contextvars(
            update_id=event.update_id if isinstance(event, Update) else None,
            user_id=user.id if user else None,
        )
        return await handler(event, data)


# dp.update.outer_middleware(LogContextMiddleware())
```

FastAPI: `asgi-correlation-id`'s `CorrelationIdMiddleware` plus its `CorrelationIdFilter`
puts a request id on every record; with stdlib `logging`, a `logging.Filter` that copies a
contextvar set by your middleware onto the record does the same; loguru:
`with logger.contextualize(user_id=...)` in the middleware.""",
    migration=(
        "Add the middleware first (one place, every line gains `update_id` / `user_id` or "
        "`request_id`), then add the format fields or a JSON renderer so they are printed; "
        "name the business ids (`order_id`, `charge_id`) in the payment-path messages next. "
        "Sentry's `set_user` in the same middleware gives error events the same context."
    ),
    libraries=("structlog", "asgi-correlation-id", "loguru", "sentry-sdk"),
    references=(
        "https://www.structlog.org/en/stable/contextvars.html",
        "https://github.com/snok/asgi-correlation-id",
        "https://docs.python.org/3/howto/logging-cookbook.html#using-filters-to-impart-contextual-information",
    ),
)

# Packages whose import alone puts a request id or trace on log records.
_CONTEXT_PACKAGES = (
    "asgi_correlation_id",
    "starlette_context",
    "structlog.contextvars",
    "opentelemetry.instrumentation.logging",
)
_LOOKED_FOR = (
    "no structlog contextvars, logger bind/contextualize, LoggerAdapter, record-adding Filter, "
    "correlation-id middleware or sentry set_user found"
)
_MIN_CALLS, _MIN_SHARE, _EXAMPLES = 5, 0.6, 8
_RANK = {"exception": 0, "critical": 0, "fatal": 0, "error": 1, "warning": 2}


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    if service_profile(project) is None or first_import(project, _CONTEXT_PACKAGES):
        return
    if any(fact.log_context for fact in project.facts):
        return
    calls = request_log_calls(project)
    bare = [c for c in calls if not c.has_context]
    if len(bare) < _MIN_CALLS or len(bare) < _MIN_SHARE * len(calls):
        return
    worst = sorted(bare, key=lambda c: (_RANK.get(c.level, 3), c.evidence))[:_EXAMPLES]
    examples = "; ".join(f'{c.evidence} "{c.message}"' for c in worst)
    yield ctx.finding_at(
        worst[0].evidence,
        f"{len(bare)} of {len(calls)} warning/error log calls in handler and route code name "
        f"no user, update or request, and {_LOOKED_FOR}; e.g. {examples}",
    )
