from __future__ import annotations

import pytest

from prodready.rules.matchers import looks_like_secret


@pytest.mark.parametrize(
    "name",
    [
        "bot_token",
        "BOT_TOKEN",
        "webhook_secret",
        "api_key",
        "apikey",
        "db_password",
        "YOOKASSA_SECRET_KEY",
        "settings.stripe_api_key",
        "private_key",
        "sentry_dsn",
    ],
)
def test_secret_names(name: str) -> None:
    assert looks_like_secret(name)


@pytest.mark.parametrize(
    "name",
    [
        "token_url",
        "webhook_secret_header",
        "api_key_name",
        "has_token",
        "token_count",
        "user_id",
        "secret_path",
        "max_tokens",
        "username",
        "TOKEN_TTL",
    ],
)
def test_names_about_secrets_are_not_secrets(name: str) -> None:
    assert not looks_like_secret(name)
