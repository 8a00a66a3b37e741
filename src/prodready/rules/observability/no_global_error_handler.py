"""OBS010: a bot or API with no global error handler."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Evidence, ProjectModel
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="OBS010",
    name="no-global-error-handler",
    title="No global error handler",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "The bot registers handlers but no error handler: no aiogram `@router.errors()` / "
        "`dp.errors.register(...)` (aiogram 2: `@dp.errors_handler()`), no PTB "
        "`application.add_error_handler(...)`, no error-catching outer middleware. For "
        "FastAPI / Starlette APIs: no `exception_handler(Exception)` and no middleware "
        "that catches exceptions."
    ),
    why=(
        "An exception in a handler then reaches the framework's last resort: aiogram logs "
        '"Cause exception while process update" (PTB: "No error handlers are registered") and '
        "moves on. The user who pressed *Pay* gets no answer and presses again; the log line "
        "has no user id, no update, no state; nothing reaches Sentry with context; a callback "
        "query is never answered, so the button spins. An API answers a bare "
        "`Internal Server Error` text that clients cannot parse."
    ),
    fix="""One error handler per bot that logs with context, reports, and answers the user:

```python
import logging

from aiogram import Router
from aiogram.types import ErrorEvent

router = Router()
log = logging.getLogger(__name__)


@router.errors()
async def on_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    if event.update.callback_query is not None:
        await event.update.callback_query.answer("Something went wrong, try again later")
    elif event.update.message is not None:
        await event.update.message.answer("Something went wrong, we are looking into it")
    return True
```

PTB: `application.add_error_handler(on_error)`; FastAPI:
`app.add_exception_handler(Exception, handler)` returning a JSON body with a request id.""",
    migration=(
        "Register the handler on the Dispatcher (or the root router) so every router's errors "
        "reach it; keep specific `ExceptionTypeFilter` handlers (e.g. for `TelegramBadRequest`) "
        "before the catch-all. Bind the user id and update id to the log record (structlog "
        "contextvars) and let the Sentry logging integration pick the error up; answer the "
        "user in their language without leaking the exception text."
    ),
    libraries=("aiogram", "python-telegram-bot", "fastapi", "structlog", "sentry-sdk"),
    references=(
        "https://docs.aiogram.dev/en/latest/dispatcher/observer.html",
        "https://docs.python-telegram-bot.org/en/stable/telegram.ext.application.html#telegram.ext.Application.add_error_handler",
        "https://fastapi.tiangolo.com/tutorial/handling-errors/",
    ),
)

_FAMILIES = {"aiogram3": "aiogram", "aiogram2": "aiogram", "ptb": "ptb"}
_REGISTER = {
    "aiogram": "`@router.errors()` / `dp.errors.register(...)`",
    "ptb": "`application.add_error_handler(...)`",
}
_CATCH_ALL = frozenset({"Exception", "BaseException", "builtins.Exception"})


def _bot_gaps(model: ProjectModel) -> Iterator[tuple[Evidence, str]]:
    for family in ("aiogram", "ptb"):
        handlers = [
            h
            for h in model.handlers
            if _FAMILIES.get(h.framework) == family and h.update != "errors"
        ]
        hooks = [h for h in model.hooks if _FAMILIES.get(h.framework) == family]
        if not handlers or any(
            h.kind == "error-handler" or h.error_named_middleware for h in hooks
        ):
            continue
        entries = [e.evidence for e in model.entry_points if _FAMILIES.get(e.framework) == family]
        where = entries[0] if entries else handlers[0].evidence
        yield (
            where,
            (
                f"{len(handlers)} {family} handler(s) and no {_REGISTER[family]}: a handler's "
                "exception is only logged, without the update, and the user gets no answer"
            ),
        )


def _api_gap(model: ProjectModel) -> tuple[Evidence, str] | None:
    routes = [
        r
        for r in model.routes
        if r.framework in {"fastapi", "starlette"} and r.receives != "telegram"
    ]
    hooks = [h for h in model.hooks if h.framework in {"fastapi", "starlette"}]
    if not routes or any(
        (h.kind == "exception-handler" and h.on in _CATCH_ALL) or h.error_named_middleware
        for h in hooks
    ):
        return None
    return routes[0].evidence, (
        f"{len(routes)} API route(s) and no `exception_handler(Exception)`: an unexpected "
        "error answers a bare 500 text with no error id"
    )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    model = ctx.project.model
    if service_profile(ctx.project) is None:
        return
    for where, message in _bot_gaps(model):
        yield ctx.finding_at(where, message)
    api = _api_gap(model)
    if api is not None:
        yield ctx.finding_at(api[0], api[1], severity=Severity.MINOR)
