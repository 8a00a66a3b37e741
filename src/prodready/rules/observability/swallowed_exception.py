"""OBS001: a broad `except` in an `async def` drops the error: nothing logged, nothing raised."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.handling import best_effort, catches_broadly, dropped, only_parses_input

META = RuleMeta(
    id="OBS001",
    name="swallowed-exception",
    title="Exception swallowed in async code: nothing logged, nothing re-raised",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "In an `async def` (a bot handler, a route, a worker loop, a task), an `except "
        "Exception:`, `except BaseException:` or bare `except:` ends in `pass`, `...`, "
        "`continue`, `break`, `return` or `return <constant>`, or only answers the caller "
        "(`message.answer(...)`, an error response, `raise HTTPException(...)`), and logs nothing. "
        "Narrow exceptions, cosmetic Telegram calls (delete or edit a message) and clean-up "
        "code are left alone."
    ),
    why=(
        "Every failure of the guarded block (a bug, a database outage, a revoked token, a "
        "Telegram flood limit) vanishes: no log line, no Sentry event, no error metric. The "
        "framework's error handlers (aiogram `@router.errors()`, PTB `add_error_handler`, "
        "FastAPI exception handlers) and Sentry's integrations only see exceptions that escape "
        "the handler. The payment stays unconfirmed, the worker keeps looping over a broken "
        "dependency, and on-call learns about it from users, with nothing to debug."
    ),
    fix="""Log unexpected errors with their context (or let them reach one central error
handler); suppress only the narrow exception you expect:

```python
import contextlib
import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery

log = logging.getLogger(__name__)
router = Router()


@router.callback_query()
async def confirm_payment(callback: CallbackQuery, payments: "PaymentService") -> None:
    try:
        await payments.confirm(callback.from_user.id, callback.data)
    except Exception:
        log.exception("payment confirmation failed", extra={"user": callback.from_user.id})
        await callback.answer("Payment failed, we are on it", show_alert=True)
        return
    with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
        await callback.message.edit_reply_markup(reply_markup=None)
```

With `sentry_sdk.init()` the logging integration turns `log.exception(...)` into a Sentry
event; with structlog use `log.exception("...", user_id=...)`.""",
    migration=(
        "For each finding decide: an expected, harmless error gets its narrow type "
        "(`TelegramBadRequest`, `TelegramForbiddenError`, `KeyError`) and a comment; anything "
        "else is logged with `log.exception(...)` and context (user, update, order id) and "
        "re-raised, or left to propagate to one central handler (aiogram `@router.errors()`, "
        "PTB `application.add_error_handler`, a FastAPI exception handler) that logs, reports "
        "to Sentry and answers the user. Enable ruff's BLE001, S110 and S112 to keep new ones out."
    ),
    libraries=("sentry-sdk", "structlog", "aiogram", "python-telegram-bot"),
    references=(
        "https://docs.python.org/3/library/logging.html#logging.Logger.exception",
        "https://docs.sentry.io/platforms/python/usage/",
        "https://docs.aiogram.dev/en/latest/dispatcher/errors.html",
    ),
)

_NOQA = re.compile(r"#\s*noqa(?!:)|#\s*noqa:[^#]*\b(S110|S112)\b")


@file_rule(META, on=(ast.ExceptHandler,))
def check(node: ast.ExceptHandler, ctx: FileContext) -> Iterator[Finding]:
    function, statement = ctx.semantic.enclosing_function(), ctx.semantic.parent
    if not isinstance(function, ast.AsyncFunctionDef) or not ctx.semantic.in_async_function():
        return
    if function.name.startswith("test_") or not isinstance(statement, ast.Try | ast.TryStar):
        return
    if not catches_broadly(node, ctx.semantic):
        return  # a narrow, expected exception (KeyError, TelegramBadRequest): a choice
    how = dropped(node, ctx.semantic)
    if how is None or best_effort(statement, function):
        return  # handled, or a cosmetic / clean-up call whose failure changes nothing
    if how == "answer" and only_parses_input(statement):
        return  # bad input answered with a 400 / "send a number": the handling itself
    lines = (ctx.source.line(node.lineno), ctx.source.line(node.body[0].lineno))
    if any(_NOQA.search(line) for line in lines):
        return  # swallowing was accepted on purpose (ruff S110 / S112 silenced)
    label = "bare `except:`" if node.type is None else f"`except {ast.unparse(node.type)}`"
    where = f"{label} in `async def {function.name}`"
    if how == "answer":
        message = f"{where} answers the caller but logs nothing: the error is lost"
        yield ctx.finding(node, message, confidence=Confidence.MEDIUM)
    elif how == "fallback":
        message = f"{where} returns a fallback value: nothing logged, nothing re-raised"
        yield ctx.finding(node, message, confidence=Confidence.MEDIUM)
    else:
        yield ctx.finding(node, f"{where} swallows the error: nothing logged, nothing re-raised")
