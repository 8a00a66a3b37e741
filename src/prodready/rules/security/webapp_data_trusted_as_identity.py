"""SEC025: a user id or a price taken from a Mini App's `web_app_data.data`."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.web_app_data import trusted_reads
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="SEC025",
    name="webapp-data-trusted-as-identity",
    title="User id or price taken from a Mini App's sendData payload",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A bot handler (e.g. of `web_app_data` messages: aiogram 3 `F.web_app_data`, aiogram 2 "
        "`content_types=ContentType.WEB_APP_DATA`, PTB `filters.StatusUpdate.WEB_APP_DATA`) "
        "parses `message.web_app_data.data` and reads a user id (`user_id`, `telegram_id`, "
        "`chat_id`) or an amount (`price`, `amount`, `total`) from it, instead of "
        "`message.from_user.id` and the price list kept on the server."
    ),
    why=(
        "Telegram sets who sent the message (`from_user`), but `web_app_data.data` is the "
        "string the Mini App passed to `Telegram.WebApp.sendData`: the user controls it (a "
        "modified page, or the client's developer tools). Trusting it lets a user credit "
        "another account, claim someone else's purchase, or set the price of what they buy "
        "to 1."
    ),
    fix="""Take the user from the message and the price from the server; read from the
payload only what the user chooses (which plan):

```python
import json

from aiogram import F, Router
from aiogram.types import LabeledPrice, Message

router = Router()
PLANS = {"month": 150, "year": 1500}  # Stars, kept on the server


@router.message(F.web_app_data)
async def order(message: Message) -> None:
    plan = json.loads(message.web_app_data.data).get("plan")
    if plan not in PLANS:
        await message.answer("Unknown plan")
        return
    await message.answer_invoice(
        title=plan, description=plan, payload=f"{message.from_user.id}:{plan}",
        currency="XTR", prices=[LabeledPrice(label=plan, amount=PLANS[plan])],
    )
```""",
    migration=(
        "Treat the payload as a form the user filled in: validate it against a schema "
        "(pydantic), look every price and product up by id on the server, and key every "
        "account change on `message.from_user.id`. The same holds for a Mini App talking to "
        "your HTTP API: identify the user from validated `initData` (SEC011), never from a "
        "`user_id` in the body."
    ),
    libraries=("aiogram", "python-telegram-bot", "pydantic"),
    references=(
        "https://core.telegram.org/bots/webapps#keyboard-button-mini-apps",
        "https://core.telegram.org/bots/api#webappdata",
        "https://core.telegram.org/method/messages.sendWebViewData",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    for function in dict.fromkeys(h.function for h in ctx.project.model.handlers):
        body = code.body(function)
        if body is None:
            continue
        for read in trusted_reads(body.node):
            what = "whom to credit" if read.kind == "identity" else "what to charge"
            yield ctx.finding(
                body.parsed,
                read.node,
                f"`{body.short}` takes `{read.key}` from `web_app_data.data` (written by the "
                f"client) to decide {what}; use `message.from_user.id` and server-side prices",
            )
