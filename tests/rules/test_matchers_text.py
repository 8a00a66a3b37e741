"""Shared text matchers: what reads as SQL, and Telegram bot tokens (found, placeholders
skipped, masked). Token-shaped test strings are assembled at run time so that this file holds
none: prodready's own review looks for them."""

from __future__ import annotations

import pytest

from prodready.rules.matchers import (
    find_bot_token,
    looks_like_sql,
    mask_bot_token,
    redact_bot_tokens,
)

_ID = "6" + "590725995"
_SECRET = "AAJWDBt2hWdQZUm14Qho" + "xhLPAbQcEFUV2fs"  # random, 35 characters


def _token(bot_id: str = _ID, secret: str = _SECRET) -> str:
    return f"{bot_id}:{secret}"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT id FROM users WHERE name = '{}'",
        "  select * from t",
        "(SELECT 1)",
        "insert into orders (id) values ({})",
        "UPDATE users SET balance = {} WHERE id = {}",
        "DELETE FROM sessions WHERE id = {}",
        "WITH recent AS (SELECT 1) SELECT * FROM recent",
        "{} FROM users WHERE id = 1 -- SELECT x FROM y",
        "DROP TABLE {}",
    ],
)
def test_looks_like_sql(text: str) -> None:
    assert looks_like_sql(text)


@pytest.mark.parametrize(
    "text",
    [
        "deploy {}",
        "https://example.org/items/{}",
        "user:{}:state",
        "Update {} failed",
        "with {} regards",
        "Please select an option",
        "SET search_path TO {}",
    ],
)
def test_does_not_look_like_sql(text: str) -> None:
    assert not looks_like_sql(text)


def test_finds_a_token_alone_or_in_a_url() -> None:
    token = _token()
    assert find_bot_token(token) == token
    assert find_bot_token(f"https://api.telegram.org/bot{token}/getMe") == token
    assert find_bot_token(f"TOKEN={token}") == token


@pytest.mark.parametrize(
    "text",
    [
        _token(secret=_SECRET[:-1]),  # 34 characters, like the Bot API docs' example
        _token(secret=_SECRET + "x"),
        _token(bot_id="1234567"),  # a seven-digit id
        "x" + _token(),
        _token() + "-x",
    ],
)
def test_not_token_shaped(text: str) -> None:
    assert find_bot_token(text) is None


@pytest.mark.parametrize(
    ("bot_id", "secret"),
    [
        ("123456789", _SECRET),  # the id counts up
        ("1234567890", _SECRET),
        ("0" * 10, _SECRET),
        (_ID, "A" * 35),
        (_ID, "AB" * 17 + "C"),  # fewer than 12 distinct characters
        (_ID, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"),  # counts up
        (_ID, "AAJWDBt2hWdQZUmzzzzz4QhoxhLPAbQcEFU"),  # five equal characters in a row
        (_ID, "your_bot_token_from_BotFather_12345"),
        (_ID, "AAJWDBt2hWdQZUm-EXAMPLE-xhLPAbQcEFU"),
        (_ID, "AAJWDBt2hWdQZUm-xXxX-oxhLPAbQcEFUV2"),
    ],
)
def test_placeholders_are_skipped(bot_id: str, secret: str) -> None:
    assert find_bot_token(_token(bot_id, secret)) is None


def test_masking_shows_four_digits_only() -> None:
    token = _token()
    assert mask_bot_token(token) == "6590…"
    line = f'bot = Bot(token="{token}")'
    assert redact_bot_tokens(line) == 'bot = Bot(token="6590…")'
    assert _SECRET[:8] not in redact_bot_tokens(line[:30])  # a snippet cut inside the token
