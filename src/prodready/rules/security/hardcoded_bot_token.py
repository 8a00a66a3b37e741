"""SEC002: a Telegram bot token written in the source code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import find_bot_token, mask_bot_token, redact_bot_tokens

META = RuleMeta(
    id="SEC002",
    name="hardcoded-bot-token",
    title="Telegram bot token hard-coded in the source",
    dimension=Dimension.SECURITY,
    severity=Severity.BLOCKER,
    confidence=Confidence.HIGH,
    what=(
        "A string literal holds a Telegram bot token (`<bot id>:<35 characters>`): assigned to "
        "a variable, passed to `Bot(token=...)` / `ApplicationBuilder().token(...)`, given as "
        "the default of `os.getenv(...)` or a settings field, or inside an API URL "
        "(`https://api.telegram.org/bot<token>/...`)."
    ),
    why=(
        "The token is the bot's whole identity. Anyone who reads the repository, a fork, a CI "
        "log or a Docker image layer can call every Bot API method as your bot: point the "
        "webhook at their own server and receive every update (messages, shared phone numbers, "
        "payments), message and invoice your users, or delete the webhook and stop the bot. "
        "Deleting the line does not help: the token stays in the git history of every clone."
    ),
    fix="""Read the token from the environment (or a secret manager) into a typed setting that
never prints:

```python
from aiogram import Bot
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8")

    bot_token: SecretStr  # BOT_TOKEN; no default, so a missing token fails at start-up


settings = Settings()
bot = Bot(token=settings.bot_token.get_secret_value())
```

Keep `.env` out of git (`.gitignore`) and provide `BOT_TOKEN` through Docker / Kubernetes
secrets or a secret manager in production.""",
    migration=(
        "1. Revoke the token now: in @BotFather send `/revoke` and pick the bot; the old token "
        "stops working and a new one is issued. 2. Store the new token only in the "
        "environment / secret manager and read it as above. 3. Check `getWebhookInfo`: no "
        "webhook you did not set. 4. Rewriting git history (`git filter-repo`) is optional once "
        "revoked; add a secret scanner (detect-secrets, gitleaks) to pre-commit and CI."
    ),
    libraries=("pydantic-settings", "detect-secrets"),
    references=(
        "https://core.telegram.org/bots/features#botfather",
        "https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
        "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    ),
)


@file_rule(META, on=(ast.Constant,))
def check(node: ast.Constant, ctx: FileContext) -> Iterator[Finding]:
    """Placeholders (`123456789:...`, `...:AAAAA...`, a secret spelling `your_token`) are
    skipped, see `matchers.find_bot_token`; message and snippet show four digits of the id."""
    if not isinstance(node.value, str) or len(node.value) < 44 or ":" not in node.value:
        return
    token = find_bot_token(node.value)
    if token is None:
        return
    message = f"Telegram bot token `{mask_bot_token(token)}` is hard-coded: revoke it in @BotFather"
    finding = ctx.finding(node, message)
    yield replace(finding, snippet=redact_bot_tokens(finding.snippet))  # reports never show it
