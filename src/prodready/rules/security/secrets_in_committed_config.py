"""SEC023: tokens, keys and passwords in configuration files kept with the code."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.config_files import entries
from prodready.analysis.project.model import Evidence
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.committed_secrets import secret_in

META = RuleMeta(
    id="SEC023",
    name="secrets-in-committed-config",
    title="Secret in a configuration file kept with the code",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "A configuration file in the reviewed tree that `.gitignore` does not exclude — "
        "`.env`, `.env.prod`, `config.yaml`, `settings.json`, `*.ini`, `docker-compose.yml` — "
        "holds a secret: a Telegram bot token (blocker), a live provider key, a password in a "
        "connection URL, or a secret-named key (`*_TOKEN`, `*_SECRET`, `*_PASSWORD`, "
        "`API_KEY`) with a real-looking value. In templates (`.env.example`, `*.sample`) only "
        "values shaped like real credentials are reported. Values are never shown."
    ),
    why=(
        "A file next to the code ends up in git, in every clone and fork, in CI caches and in "
        "the Docker build context (and often the image). Whoever reads it owns the bot (a bot "
        "token controls its webhook, updates and payments) or the provider account. Deleting "
        "the file later does not remove it from history: the secret must be treated as leaked."
    ),
    fix="""Keep only a template in the repository and load real values from the environment:

```python
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: SecretStr
    database_url: SecretStr
    payment_provider_key: SecretStr
```

`.gitignore` lists `.env`; the repository holds `.env.example` with empty values; production
gets the values from the orchestrator's secrets (Docker / Kubernetes secrets, Vault, a cloud
secret manager). Add `detect-secrets` to pre-commit so the next one is stopped.""",
    migration=(
        "1. Revoke and reissue every secret found (bot token: @BotFather `/revoke`; provider "
        "keys in their dashboards), because the old values stay in git history. "
        "2. `git rm --cached .env`, add it to `.gitignore`, commit a `.env.example`. "
        "3. Optionally purge history with `git filter-repo`. 4. Add `detect-secrets` (or "
        "gitleaks) to pre-commit and CI."
    ),
    libraries=("pydantic-settings", "detect-secrets"),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        "https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
        "https://github.com/Yelp/detect-secrets",
        "https://core.telegram.org/bots/features#botfather",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Files `.gitignore` excludes never reach the rule (discovery applies it)."""
    for config in ctx.configs:
        for entry in entries(config):
            secret = secret_in(entry, config.example)
            if secret is None:
                continue
            severity = Severity.BLOCKER if secret.token else None
            message = f"{secret.what} in a file that is not git-ignored"
            yield ctx.finding_at(Evidence(config.path, entry.line), message, severity=severity)
