"""OBS012: an `except` logs the traceback and re-raises, and the error is logged again above."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.escapes import framework_entries, logged_again
from prodready.rules.functions import functions_of
from prodready.rules.handling import caught_names, reraises, traceback_log

META = RuleMeta(
    id="OBS012",
    name="logged-and-re-raised",
    title="Exception logged with its traceback, re-raised, and logged again above",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "An `except` block logs the error with its traceback (`log.exception(...)`, "
        "`log.error(..., exc_info=True)`, loguru `logger.exception` / `logger.opt(exception=e)`, "
        "structlog `.exception`) and then re-raises it (`raise` / `raise e`), and something above "
        "logs it again: the framework behind the bot handler, route, middleware or job it "
        "escapes from (aiogram, PTB, uvicorn, aiohttp, APScheduler, arq, taskiq and Celery log "
        "what escapes), the project's error handler, an outer `except` or a caller's `except` "
        "that logs the traceback too. Logging without the "
        "traceback, at DEBUG, at the top level (`main()`), or wrapping (`raise X from e`) is not "
        "reported."
    ),
    why=(
        "One failure writes two or more full tracebacks, minutes of log lines apart from each "
        "other in a busy bot. Sentry's logging integration turns each ERROR record into an "
        "event, so one incident counts twice in alerts and error budgets, and log-based alert "
        "rules fire twice. On-call reads the same stack trace twice and cannot tell whether two "
        "things failed or one; the copy logged low in the stack has no user or update id."
    ),
    fix="""Log once, at the boundary: let the error propagate to the global error handler,
which logs it with context and reports it; add context where it is known without logging:

```python
import logging

import structlog
from aiogram import Router
from aiogram.types import ErrorEvent

router = Router()
log = logging.getLogger(__name__)


async def charge(order_id: int) -> None:
    structlog.contextvars.bind_contextvars(order_id=order_id)
    await provider_charge(order_id)  # no try/except: the error propagates


@router.errors()
async def on_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    return True
```

PTB: `application.add_error_handler(on_error)`; FastAPI:
`@app.exception_handler(Exception)`; with `sentry_sdk.init()` the error reaches Sentry once.""",
    migration=(
        "For each finding drop the log call and the `try` around it (or keep the `except` and "
        "just `raise`), after checking that the boundary logs: an aiogram `@router.errors()`, "
        "PTB `add_error_handler`, FastAPI `exception_handler(Exception)` or the framework's own "
        "log. Move the context the local log line carried (order id, user id) into the record "
        "with `structlog.contextvars.bind_contextvars(...)` or into a wrapping exception "
        "(`raise PaymentError(order_id) from e`). Keep a local log only where the error is "
        "handled and not re-raised."
    ),
    libraries=("structlog", "sentry-sdk", "aiogram", "python-telegram-bot", "fastapi"),
    references=(
        "https://docs.aiogram.dev/en/latest/dispatcher/errors.html",
        "https://docs.python-telegram-bot.org/en/stable/telegram.ext.application.html#telegram.ext.Application.add_error_handler",
        "https://www.starlette.io/exceptions/",
        "https://docs.sentry.io/platforms/python/integrations/logging/",
    ),
)


_METHODS = frozenset({"__call__", "dispatch"})  # a middleware: name its class


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    entries = framework_entries(code)
    for parsed in ctx.files:
        for name, function, _ in functions_of(parsed):
            for statement in iter_body(function):
                if not isinstance(statement, ast.Try | ast.TryStar):
                    continue
                for handler in statement.handlers:
                    logged = traceback_log(handler, parsed.semantic)
                    if logged is None or reraises(handler) is None:
                        continue
                    names = caught_names(handler)
                    start = Body(name, parsed, function)
                    again = logged_again(code, start, statement, names, entries)
                    if again is None:
                        continue
                    message, elsewhere = again
                    where = name.rsplit(".", 2)[-2] if function.name in _METHODS else function.name
                    yield ctx.finding(
                        parsed,
                        logged,
                        f"`{ast.unparse(logged.func)}(...)` then `raise` in `{where}`: {message}",
                        confidence=Confidence.LOW if elsewhere else None,
                    )
