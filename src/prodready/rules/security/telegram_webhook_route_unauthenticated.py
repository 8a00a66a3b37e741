"""SEC010: a custom HTTP route feeds Telegram updates without checking the secret header."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.project.adapters._common import token_in_path
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.payments import invoice_sites, payment_handlers
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.callbacks import route_code

META = RuleMeta(
    id="SEC010",
    name="telegram-webhook-route-unauthenticated",
    title="Custom Telegram webhook route accepts unauthenticated updates",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "A FastAPI / Starlette / aiohttp route of the project's own feeds request bodies to the "
        "bot (`dp.feed_update`, `feed_webhook_update`, `application.update_queue.put`, "
        "`Update.model_validate(...)`) and never reads the `X-Telegram-Bot-Api-Secret-Token` "
        "header — not in the route, a helper it calls, a dependency nor a middleware. When the "
        "path is built from the bot token instead, the token is the only protection. "
        "(aiogram's `SimpleRequestHandler` and PTB's `run_webhook` are SEC003's.)"
    ),
    why=(
        "The route accepts any POST: whoever finds the URL can send forged updates — a "
        "`successful_payment` message that delivers goods without paying, an admin's user id "
        "on a privileged command, thousands of fake users. Setting `secret_token=` in "
        "`set_webhook` does not help by itself: Telegram sends the header, but only the route "
        "can compare it. A token in the path is weak: the URL, with the token that controls "
        "the bot, ends up in proxy, load-balancer and access logs (DOMAIN.md §2)."
    ),
    fix="""Compare the header with the secret given to `set_webhook`, in constant time, first:

```python
import hmac

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
WEBHOOK_SECRET = "..."  # settings.webhook_secret.get_secret_value(); also passed to set_webhook


@app.post("/telegram/webhook")
async def telegram_webhook(
    request: Request,
    x_telegram_bot_api_secret_token: str = Header(default=""),
) -> dict[str, bool]:
    if not hmac.compare_digest(x_telegram_bot_api_secret_token, WEBHOOK_SECRET):
        raise HTTPException(status_code=401)
    bot: Bot = request.app.state.bot
    dispatcher: Dispatcher = request.app.state.dispatcher
    update = Update.model_validate(await request.json(), context={"bot": bot})
    await dispatcher.feed_update(bot, update)
    return {"ok": True}
```

With aiohttp, aiogram's `SimpleRequestHandler(dp, bot, secret_token=...)` does the check.""",
    migration=(
        "Generate a secret (`secrets.token_urlsafe(32)`: 1–256 of `A-Z a-z 0-9 _ -`), store it "
        "as a `SecretStr` setting, deploy the route check and `set_webhook(url, "
        "secret_token=...)` together (requests without the header get 401 from then on). "
        "Move a token-based path to a fixed one (`/telegram/webhook`), re-register the "
        "webhook, and rotate the bot token with @BotFather if it was ever logged."
    ),
    libraries=("aiogram", "python-telegram-bot", "fastapi", "pydantic-settings"),
    references=(
        "https://core.telegram.org/bots/api#setwebhook",
        "https://docs.aiogram.dev/en/latest/dispatcher/webhook.html",
    ),
)

_HEADER = "x-telegram-bot-api-secret-token"
_TELEGRAM_NETWORKS = ("149.154.160.0/20", "91.108.4.0/22")
_IP_CHECKS = ("ip_filter_middleware", "check_ip", "IPFilter")


def _normal(text: str) -> str:
    return text.lower().replace("_", "-")


def _checks_secret(body: Body) -> bool:
    """The function (or its module's constants) names the header, or checks Telegram's IPs."""
    args = body.node.args
    params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if any(_normal(p) == _HEADER for p in params):
        return True
    constants = [*iter_body(body.node), *body.parsed.semantic.module_values.values()]
    for node in constants:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _HEADER in _normal(node.value) or node.value in _TELEGRAM_NETWORKS:
                return True
        elif isinstance(node, ast.Name | ast.Attribute) and (
            (node.id if isinstance(node, ast.Name) else node.attr) in _IP_CHECKS
        ):
            return True
    return False


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    code = Code(project, ctx.files)
    paid = bool(payment_handlers(code) or invoice_sites(project))
    secret_set = any("secret_token" in e.details for e in project.model.entry_points)
    for route in project.model.routes:
        if route.receives != "telegram":
            continue
        if any(_checks_secret(body) for body, depth in route_code(code, route) if depth <= 2):
            continue
        short = route.function.rsplit(".", 1)[-1]
        if token_in_path(route.path):
            yield ctx.finding_at(
                route.evidence,
                f"`{short}` is protected only by the bot token in its path {route.path}: "
                "the token leaks to access logs",
                severity=Severity.CRITICAL if paid else Severity.MAJOR,
            )
            continue
        told = (
            "set_webhook sends a secret_token this route never checks"
            if secret_set
            else ("no X-Telegram-Bot-Api-Secret-Token check")
        )
        stake = ": forged `successful_payment` updates deliver goods" if paid else ""
        yield ctx.finding_at(
            route.evidence,
            f"`{short}` ({route.method} {route.path}) feeds any POST to the bot ({told}){stake}",
            severity=Severity.BLOCKER if paid else None,
        )
