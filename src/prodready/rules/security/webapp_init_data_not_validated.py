"""SEC011: Mini App initData used as identity without checking its signature."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.init_data import candidate_functions, unvalidated_reads
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="SEC011",
    name="webapp-init-data-not-validated",
    title="Mini App initData trusted without checking its signature",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A route or handler reads the `initData` a Telegram Mini App sends (an `init_data` "
        "field or parameter, `initData` / `tgWebAppData` keys, an `X-Telegram-Init-Data` "
        "header, the `tma` authorization scheme) and no code on the way checks its hash: no "
        "`safe_parse_webapp_init_data` / `check_webapp_signature` (aiogram), no HMAC with the "
        '"WebAppData" key, no validating library. aiogram\'s `parse_webapp_init_data()` only '
        "parses: it checks nothing."
    ),
    why=(
        'initData is a query string the client sends; anyone can write `user={"id": '
        "<someone else's id>}` into it with curl. Unless the hash is checked with the bot "
        "token, the backend serves whoever the request claims to be: another user's balance, "
        "orders and referral rewards, an admin's panel when admin rights are keyed on the "
        "Telegram id, purchases charged to someone else."
    ),
    fix="""Validate with aiogram's helper in one FastAPI dependency and use only what it returns:

```python
from aiogram.utils.web_app import WebAppInitData, safe_parse_webapp_init_data
from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()
BOT_TOKEN = "..."  # from settings, a SecretStr in real code


def telegram_user(authorization: str = Header(...)) -> WebAppInitData:
    scheme, _, raw = authorization.partition(" ")
    if scheme.lower() != "tma":
        raise HTTPException(status_code=401)
    try:
        return safe_parse_webapp_init_data(BOT_TOKEN, raw)
    except ValueError:
        raise HTTPException(status_code=401, detail="invalid initData") from None


@app.get("/api/me")
async def me(data: WebAppInitData = Depends(telegram_user)) -> dict[str, int]:
    return {"user_id": data.user.id}
```

Without aiogram: `init-data-py` or `telegram-webapp-auth`, or the HMAC of the docs with
`hmac.compare_digest`.""",
    migration=(
        "Send the raw `Telegram.WebApp.initData` from the front end (e.g. `Authorization: tma "
        "<initData>`), validate it in one dependency every route uses, and drop user ids sent "
        "in bodies or query strings. aiogram's helpers do not check `auth_date`: reject data "
        "older than your session lifetime (e.g. 24 h) yourself, so a leaked initData string "
        "cannot be replayed for ever; for data shared with third parties, use the Ed25519 "
        "`signature` (`safe_check_webapp_init_data_from_signature`, aiogram ≥ 3.22)."
    ),
    libraries=("aiogram", "fastapi"),
    references=(
        "https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app",
        "https://docs.aiogram.dev/en/latest/utils/web_app.html",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    candidates = candidate_functions(ctx.project, ctx.root)
    for read in unvalidated_reads(Code(ctx.project, ctx.files), candidates):
        yield ctx.finding(
            read.body.parsed,
            read.node,
            f"`{read.body.short}` reads initData ({read.label}) and no code on the way "
            "checks its signature: any user id can be claimed",
        )
