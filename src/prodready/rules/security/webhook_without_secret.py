"""SEC003: a Telegram webhook set up without a secret token."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._common import argument
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.strings import local_values
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import has_star_kwargs, is_none, keyword

META = RuleMeta(
    id="SEC003",
    name="telegram-webhook-without-secret-token",
    title="Telegram webhook without a secret token",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "The webhook is registered or served without `secret_token`: `bot.set_webhook(url)`, "
        "aiogram's `SimpleRequestHandler(dispatcher, bot)` or PTB's `run_webhook(...)` without "
        "`secret_token=`, or aiogram's `TokenBasedRequestHandler`, which checks no secret."
    ),
    why=(
        "Without a secret, Telegram sends no `X-Telegram-Bot-Api-Secret-Token` header and the "
        "endpoint accepts any POST. Whoever learns the URL (logs, proxies, a guessable path) can "
        "forge updates: a fake `successful_payment` grants a subscription for free, fake admin "
        "messages trigger privileged commands, floods of forged updates load the database."
    ),
    fix="""Generate a random secret, give it to Telegram, and let the framework check the header:

```python
from aiogram.webhook.aiohttp_server import SimpleRequestHandler


async def on_startup(bot, settings) -> None:
    await bot.set_webhook(
        settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=["message", "callback_query", "pre_checkout_query"],
    )


def mount(app, dispatcher, bot, settings) -> None:
    SimpleRequestHandler(
        dispatcher, bot, secret_token=settings.webhook_secret.get_secret_value()
    ).register(app, path="/telegram/webhook")
```

PTB: `application.run_webhook(..., secret_token=settings.webhook_secret)`. A custom FastAPI
endpoint must compare the header with `hmac.compare_digest` before feeding the update.""",
    migration=(
        "Add a `webhook_secret: SecretStr` setting (1–256 characters of `A-Z a-z 0-9 _ -`, e.g. "
        "`secrets.token_urlsafe(32)`), pass it to `set_webhook` and to the handler, deploy, and "
        "re-register the webhook; rotate it by setting a new one. Requests without the header "
        "then get 401/403."
    ),
    libraries=("aiogram", "python-telegram-bot", "pydantic-settings"),
    references=(
        "https://core.telegram.org/bots/api#setwebhook",
        "https://docs.aiogram.dev/en/latest/dispatcher/webhook.html",
    ),
)

_HANDLERS = frozenset({"aiogram.webhook.aiohttp_server.SimpleRequestHandler"})
_PATH_KEYED_HANDLER = "aiogram.webhook.aiohttp_server.TokenBasedRequestHandler"
_URL_SECRET = re.compile(r"token|secret", re.I)


def _missing_secret(call: ast.Call) -> bool:
    secret = keyword(call, "secret_token")
    if secret is None:
        return not has_star_kwargs(call)
    return is_none(secret.value)


def _secret_part(value: ast.expr | None, function: FunctionNode | None) -> bool:
    """The URL or path carries a secret (`f"{base}/partner/{bot.token}"`, a local built so):
    the secret-path scheme the Bot API recommended before `secret_token` existed."""
    if isinstance(value, ast.Name) and function is not None:
        return any(_secret_part(v, None) for v in local_values(value.id, function) or [])
    if not isinstance(value, ast.JoinedStr | ast.BinOp):
        return False
    called = {id(n.func) for n in ast.walk(value) if isinstance(n, ast.Call)}
    names = (
        dotted_name(n) or ""
        for n in ast.walk(value)
        if isinstance(n, ast.Name | ast.Attribute) and id(n) not in called
    )
    return any(_URL_SECRET.search(name.rsplit(".", 1)[-1]) for name in names)


_PATH_ONLY = (
    "checks no secret header: the bot token in the URL path is the only proof an update comes "
    "from Telegram, and paths land in access logs"
)


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    function = ctx.semantic.enclosing_function()
    if name == _PATH_KEYED_HANDLER or (
        name in _HANDLERS and _missing_secret(node) and _mounted_at_secret_path(node, ctx)
    ):
        shown = name.rsplit(".", 1)[-1] if name else "handler"
        yield ctx.finding(
            node, f"`{shown}` {_PATH_ONLY}", severity=Severity.MINOR, confidence=Confidence.MEDIUM
        )
        return
    if name in _HANDLERS:
        if _missing_secret(node):
            yield ctx.finding(
                node, "`SimpleRequestHandler` without `secret_token=` accepts any POST"
            )
        return
    if not isinstance(node.func, ast.Attribute):
        return
    method = node.func.attr
    if method == "set_webhook" and (node.args or keyword(node, "url")) and _missing_secret(node):
        if _secret_part(argument(node, 0, "url"), function):
            return  # the handler mounted at that path is what is reported
        yield ctx.finding(node, "`set_webhook()` without `secret_token=`: forged updates accepted")
    elif method == "run_webhook" and _missing_secret(node):
        yield ctx.finding(node, "`run_webhook()` without `secret_token=`: forged updates accepted")


def _mounted_at_secret_path(handler: ast.Call, ctx: FileContext) -> bool:
    """`app.router.add_post(f"/{settings.BOT_TOKEN}", SimpleRequestHandler(...))` or
    `SimpleRequestHandler(...).register(app, path=f"/{token}")`."""
    parents = ctx.semantic.ancestors
    parent = parents[-1] if parents else None
    function = ctx.semantic.enclosing_function()
    if isinstance(parent, ast.Call) and any(a is handler for a in parent.args):
        return _secret_part(argument(parent, 0, "path"), function)
    grand = parents[-2] if len(parents) > 1 else None
    if (
        isinstance(parent, ast.Attribute)
        and parent.attr == "register"
        and isinstance(grand, ast.Call)
    ):
        return _secret_part(argument(grand, 1, "path"), function)
    return False
