"""SEC102: passwords, tokens and secrets written into the source, ruff's S105, S106, S107."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="SEC102",
        name="hardcoded-password",
        title="Password or token hard-coded in the source",
        dimension=Dimension.SECURITY,
        severity=Severity.MAJOR,
        confidence=Confidence.LOW,
        what=(
            "A non-empty string literal is assigned to (S105), passed as (S106) or used as the "
            "default of (S107) a name that looks like a secret (`password`, `passwd`, `pwd`, "
            "`pass`, `passphrase`, `token`, `secret`: `DB_PASSWORD`, `BOT_TOKEN`, "
            "`webhook_secret`), or compared with one. The match is on the name only, so ruff "
            'also reports values that are not secrets (`token_type = "bearer"`, '
            '`TOKEN_URL = "https://..."`, `ACCESS_TOKEN_TYPE = "access"`) and placeholders in '
            "examples: on real bots and APIs most findings were such names, hence low "
            "confidence. Where prodready's SEC002 recognises a Telegram bot token on the same "
            "line, only SEC002 is shown."
        ),
        why=(
            "A secret in the source is in the git history, every clone and fork, CI logs and "
            "every Docker image layer, and rotating it needs a code change and a deploy. For a "
            "bot: whoever has the bot token can call `setWebhook` and receive your users' "
            "updates, payments included, and send messages as your bot; a leaked webhook "
            "`secret_token` lets anyone post forged updates (a fake successful payment) to "
            "your endpoint; a database password gives access to every user's data."
        ),
        fix="""Read secrets from the environment (or a secret manager) into typed settings, as
`SecretStr` so they are masked in logs and reprs:

```python
from aiogram import Bot
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8")

    bot_token: SecretStr
    database_password: SecretStr
    webhook_secret: SecretStr


settings = Settings()
bot = Bot(settings.bot_token.get_secret_value())
```""",
        migration=(
            "First rotate every real secret that was committed: the old value stays in git "
            "history (BotFather's `/revoke` for a bot token, new database and provider "
            "credentials). Then move the values into a `pydantic-settings` class loaded from the "
            "environment (`.env` only for local development, listed in `.gitignore`), and add "
            "`detect-secrets` as a pre-commit hook so new ones are caught before they are "
            "pushed. Names that are not secrets: suppress with a reason (ruff does not read "
            "bandit's `# nosec` comments)."
        ),
        libraries=("pydantic-settings", "pydantic", "detect-secrets"),
        references=(
            "https://docs.astral.sh/ruff/rules/hardcoded-password-string/",
            "https://docs.astral.sh/ruff/rules/hardcoded-password-func-arg/",
            "https://docs.astral.sh/ruff/rules/hardcoded-password-default/",
            "https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
        ),
        upstream=("S105", "S106", "S107"),
        overlaps=("SEC002",),
    )
)
