from __future__ import annotations

from prodready.analysis.config_files import Entry
from prodready.rules.committed_secrets import secret_in

TOKEN = "1559335745:AAlu7euAf_tdg5J8ee8EvXGtJ0r6EKnImrO"


def _secret(key: str, value: str, example: bool = False) -> str | None:
    found = secret_in(Entry(key, value, 1), example)
    return found.what if found is not None else None


def test_tokens_and_live_keys_count_even_in_templates() -> None:
    found = secret_in(Entry("BOT_TOKEN", TOKEN, 1), True)
    assert found is not None and found.token and TOKEN not in found.what
    stripe = "sk_" + "live_" + "CIJtOuJHWBbl0WGHgnOKMoicjijf"
    assert _secret("PAYMENTS", stripe, example=True) == "`PAYMENTS` holds a Stripe live key"


def test_secret_named_keys_need_a_real_value() -> None:
    assert _secret("API_KEY", "9f8e7d6c5b4a3928") == "`API_KEY` holds a 16-character secret"
    for value in ("", "changeme", "your_api_key_here", "${API_KEY}", "<key>", "xxxxxxxxxx"):
        assert _secret("API_KEY", value) is None, value
    assert _secret("DB_PASSWORD", "postgres") is None
    assert _secret("SECRET_KEY_LENGTH", "32") is None
    assert _secret("TOKEN_URL", "https://example.org/token") is None
    assert _secret("API_KEY", "9f8e7d6c5b4a3928", example=True) is None


def test_passwords_inside_connection_urls() -> None:
    url = "postgresql+asyncpg://shop:Xk29vLq8TrW3@db:5432/shop"
    assert _secret("DATABASE_URL", url) == "`DATABASE_URL` holds a connection URL with its password"
    assert _secret("DATABASE_URL", "postgresql://user:password@localhost/db") is None
    assert _secret("DATABASE_URL", "postgresql://u:${PG_PASSWORD:-postgres}@db/x") is None
