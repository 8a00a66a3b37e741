"""OBS011: a broad except hands the exception's own text to the user or the HTTP client."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.handling import answers_caller, catches_broadly

META = RuleMeta(
    id="OBS011",
    name="exception-details-returned-to-client",
    title="Exception details sent to the user or the HTTP client",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A broad `except Exception as e:` (or bare `except:`) answers the caller with the "
        'exception itself: `await message.answer(f"Error: {e}")`, `raise HTTPException(500, '
        'detail=str(e))`, `return JSONResponse({"error": repr(e)})`, or '
        "`traceback.format_exc()` in a reply."
    ),
    why=(
        "An unexpected exception's text is written for developers: it carries SQL statements "
        "and constraint names, file paths, hostnames, provider error bodies, sometimes tokens "
        "in URLs. Sent to users it leaks the system's internals to anyone who can trigger an "
        "error, and it tells the user nothing they can act on. The same detail is usually not "
        "logged with its traceback, so the team knows less than the user."
    ),
    fix="""Log the exception with its traceback and an error id; answer with a fixed message:

```python
import uuid

import structlog
from aiogram.types import Message

log = structlog.get_logger()


async def on_buy(message: Message) -> None:
    try:
        await buy(message.from_user.id)
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        log.exception("purchase failed", error_id=error_id, user_id=message.from_user.id)
        await message.answer(f"Something went wrong (code {error_id}). Please try again later.")
```""",
    migration=(
        "Replace the exception text in replies and HTTP bodies with a fixed message and an "
        "error id that is also logged (structlog / logging with `exc_info`); report the "
        "exception to sentry-sdk. Keep specific, expected errors (a validation error whose "
        "message is written for users) as narrow `except` clauses with their own answers. A "
        "global error handler (aiogram `dp.errors`, FastAPI `exception_handler(Exception)`) "
        "is the one place to do this."
    ),
    libraries=("structlog", "sentry-sdk"),
    references=(
        "https://owasp.org/Top10/A04_2021-Insecure_Design/",
        "https://cwe.mitre.org/data/definitions/209.html",
    ),
)


def _reveals(node: ast.AST, name: str | None, ctx: FileContext) -> bool:
    """The statement uses the caught exception (`e`, `str(e)`, `e.args`) or a traceback."""
    for inner in ast.walk(node):
        if name is not None and isinstance(inner, ast.Name) and inner.id == name:
            return True
        if isinstance(inner, ast.Call):
            called = ctx.semantic.qualified_name(inner.func) or ""
            if called.startswith("traceback.format_") or called == "sys.exc_info":
                return True
    return False


def _alerts(statement: ast.stmt) -> bool:
    """`bot.send_message(ADMIN_ID, f"... {e}")`: an alert to the operators, not an answer."""
    value = getattr(statement, "value", None)
    call = value.value if isinstance(value, ast.Await) else value
    func = call.func if isinstance(call, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr.startswith("send_")


def _client_error(sent: ast.AST) -> bool:
    """A 4xx answer (`HTTPException(400, detail=f"invalid url: {e}")`): the error is the
    client's input, and its text describes that input."""
    for inner in ast.walk(sent):
        if not isinstance(inner, ast.Call):
            continue
        codes = [k.value for k in inner.keywords if k.arg in ("status_code", "status")]
        codes += inner.args[:1] if ast.unparse(inner.func).endswith("HTTPException") else []
        for code in codes:
            if isinstance(code, ast.Constant) and isinstance(code.value, int):
                if 400 <= code.value < 500:
                    return True
            elif "HTTP_4" in ast.unparse(code):
                return True
    return False


@file_rule(META, on=(ast.ExceptHandler,))
def check(node: ast.ExceptHandler, ctx: FileContext) -> Iterator[Finding]:
    """Low confidence in admin code: staff may be meant to read the error."""
    if not catches_broadly(node, ctx.semantic):
        return  # a narrow except: its message may well be written for users
    function = ctx.semantic.enclosing_function()
    staff = "admin" in ctx.source.path.lower() or (
        function is not None and "admin" in function.name.lower()
    )
    for statement in node.body:
        # `raise HTTPException(...) from exc` chains the cause for the logs, not the client
        sent = statement.exc if isinstance(statement, ast.Raise) else statement
        if sent is None or not answers_caller(statement, ctx.semantic) or _alerts(statement):
            continue
        if _reveals(sent, node.name, ctx) and not _client_error(sent):
            who = "an admin" if staff else "the caller"
            yield ctx.finding(
                statement,
                f"the caught exception's text goes to {who}: internals leak and the reader "
                "learns nothing they can act on",
                confidence=Confidence.LOW if staff else None,
            )
            return
