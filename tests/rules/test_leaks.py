from __future__ import annotations

import ast

from prodready.rules.leaks import FileSecrets, Where, leaked

MODULE = """
from pydantic import SecretStr
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    bot_token: SecretStr
    db_password: str

class Plain(BaseSettings):
    api_key: str

settings = Plain()
TOKEN = "x"
URL = f"https://api.telegram.org/bot{TOKEN}"
"""


def _leak(expression: str) -> str | None:
    tree = ast.parse(MODULE)
    values = {
        t.id: s.value
        for s in tree.body
        if isinstance(s, ast.Assign)
        for t in s.targets
        if isinstance(t, ast.Name)
    }
    expr = ast.parse(expression, mode="eval").body
    return leaked(expr, FileSecrets(tree), Where(None, values.get))


def test_secret_values_are_leaks() -> None:
    assert _leak("config.db_password") == "`config.db_password`"
    assert _leak("f'token={token}'") == "`token`"
    assert _leak("settings.bot_token.get_secret_value()") is not None
    assert _leak("os.getenv('BOT_TOKEN')") == "`os.getenv('BOT_TOKEN')`"
    assert _leak("dict(os.environ)") == "every environment variable (`os.environ`)"
    assert _leak("settings") == "the whole `settings` object (plain-text secret fields)"
    assert _leak("URL") == "a Bot API URL with the bot token"


def test_masked_or_harmless_uses_are_not() -> None:
    for expression in (
        "len(token)",
        "bool(api_key)",
        "api_key[:4]",
        "mask(token)",
        "token is None",
        "'set' if token else 'missing'",
        "settings.bot_token",
        "signature",
        "usage.total_tokens",
        "getattr(token, 'id', None)",
        "os.environ.get('HOME')",
    ):
        assert _leak(expression) is None, expression
