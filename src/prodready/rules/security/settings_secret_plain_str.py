"""SEC005: a settings field holding a secret typed as plain `str`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import looks_like_secret

META = RuleMeta(
    id="SEC005",
    name="settings-secret-as-plain-str",
    title="Secret setting typed as plain str instead of SecretStr",
    dimension=Dimension.SECURITY,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "A pydantic `BaseSettings` field that holds a secret (`bot_token`, `webhook_secret`, "
        "`api_key`, `db_password`, a provider secret key) is annotated `str`."
    ),
    why=(
        "A plain `str` shows up wherever the settings object is printed: `repr(settings)` in a "
        "start-up log line, a traceback's local variables in Sentry, a debug endpoint. A leaked "
        "bot token lets anyone read your users' messages and impersonate the bot; a leaked "
        "payment key moves money."
    ),
    fix="""Type secrets as `SecretStr`; read the value only where it is used:

```python
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    bot_token: SecretStr
    webhook_secret: SecretStr


def make_bot(settings: Settings):
    from aiogram import Bot

    return Bot(settings.bot_token.get_secret_value())
```
`repr(settings)` now prints `bot_token=SecretStr('**********')`.""",
    migration=(
        "Change the annotation to `SecretStr` and add `.get_secret_value()` at each use (the "
        "type checker lists them). Also make sure Sentry's `send_default_pii=False` and that "
        "no log line prints the settings object."
    ),
    libraries=("pydantic", "pydantic-settings", "sentry-sdk"),
    references=(
        "https://docs.pydantic.dev/latest/api/types/#pydantic.types.SecretStr",
        "https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
    ),
)

_SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic.BaseSettings"})


def _plain_str(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Name):
        return annotation.id == "str"
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _plain_str(annotation.left) or _plain_str(annotation.right)
    if isinstance(annotation, ast.Subscript) and dotted_name(annotation.value) in (
        "Optional",
        "typing.Optional",
    ):
        return _plain_str(annotation.slice)
    return False


@file_rule(META, on=(ast.ClassDef,))
def check(node: ast.ClassDef, ctx: FileContext) -> Iterator[Finding]:
    if not any(base in _SETTINGS_BASES for base in ctx.semantic.base_names(node)):
        return
    for statement in node.body:
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        name = statement.target.id
        if looks_like_secret(name) and _plain_str(statement.annotation):
            yield ctx.finding(statement, f"`{name}: str` prints in reprs and tracebacks")
