"""SEC022: a token, key or password written to the logs (or printed)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.logs import is_logging_call
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.leaks import Where, httpx_url_logging, leaked, secrets_of
from prodready.rules.matchers import call_label

META = RuleMeta(
    id="SEC022",
    name="secret-in-logs",
    title="Secret written to the logs",
    dimension=Dimension.SECURITY,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A logging call or `print` writes a secret: a value named like one (`bot_token`, "
        "`API_KEY`, `settings.db_password`, `.get_secret_value()`, `os.getenv('BOT_TOKEN')`), a "
        "Bot API URL built with the token (`https://api.telegram.org/bot{TOKEN}/...`), the "
        "whole environment or a settings object with plain-text secrets. Also "
        "`logging.basicConfig(level=INFO or DEBUG)` in a python-telegram-bot (v20+) or httpx "
        "module that never raises the `httpx` logger above INFO: httpx logs every request URL "
        "at INFO, and Bot API URLs contain the token."
    ),
    why=(
        "Logs are copied everywhere — journald, Docker, a log shipper, Sentry breadcrumbs, a "
        "screenshot in a support chat — and are read by far more people than the secret "
        "store. A leaked bot token gives full control of the bot (webhook redirected, every "
        "update and payment read, messages sent in its name); a leaked provider key moves "
        "money. A token logged on every `getUpdates` poll is in every log line of the day."
    ),
    fix="""Log that a secret is present, never its value, and keep library loggers quiet:

```python
import logging

import structlog
from pydantic import SecretStr
from pydantic_settings import BaseSettings

logging.basicConfig(level=logging.INFO)
logging.getLogger("httpx").setLevel(logging.WARNING)  # PTB v20+: URLs carry the token


class Settings(BaseSettings):
    bot_token: SecretStr  # prints as '**********'


def redact(logger: object, method: str, event: dict[str, object]) -> dict[str, object]:
    for key in ("token", "password", "api_key", "authorization"):
        if key in event:
            event[key] = "[redacted]"
    return event


structlog.configure(processors=[redact, structlog.processors.JSONRenderer()])
log = structlog.get_logger()
log.info("bot configured", token_set=True)
```""",
    migration=(
        "Rotate every secret that has reached a log (for the bot token: @BotFather `/revoke`), "
        "then purge or expire the affected log streams. Type secrets as `SecretStr` in "
        "pydantic-settings, add a redaction processor (structlog) or a `logging.Filter` that "
        "masks `bot\\d+:[\\w-]+` in every record, and set `httpx` / `httpcore` / `urllib3` "
        "loggers to WARNING."
    ),
    libraries=("structlog", "pydantic-settings"),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",
        "https://www.python-httpx.org/logging/",
        "https://docs.python-telegram-bot.org/en/stable/examples.echobot.html",
        "https://docs.pydantic.dev/latest/api/types/#pydantic.types.SecretStr",
    ),
)

_BASIC_CONFIG = frozenset({"logging.basicConfig"})
_SKIPPED_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel"})


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.call_name(node)
    if name in _BASIC_CONFIG:
        leak = httpx_url_logging(node, ctx.semantic.imports, ctx.source.lines)
        if leak:
            yield ctx.finding(
                node, f"`logging.basicConfig(...)` at {leak}", confidence=Confidence.HIGH
            )
        return
    if not is_logging_call(node, name) or not (node.args or node.keywords):
        return
    tree = ctx.semantic.ancestors[0] if ctx.semantic.ancestors else None
    if not isinstance(tree, ast.Module):
        return
    secrets = secrets_of(tree)
    values = [*node.args, *(k.value for k in node.keywords if k.arg not in _SKIPPED_KEYWORDS)]
    where = Where(ctx.semantic.enclosing_function(), ctx.semantic.module_value)
    for value in values:
        what = leaked(value, secrets, where)
        if what:
            yield ctx.finding(node, f"`{call_label(node, ctx.semantic.parent)}` writes {what}")
            return
