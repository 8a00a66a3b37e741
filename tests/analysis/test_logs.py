"""Logging calls: levels an incident is read from, identifiers in the arguments, messages."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis.logs import (
    mentions_identifier,
    message_text,
    names_identifier,
    problem_level,
)


def _call(text: str) -> ast.Call:
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ('logger.error("x")', "error"),
        ('log.warn("x")', "warning"),
        ('self._logger.exception("x")', "exception"),
        ('log.aerror("x")', "error"),
        ('logging.getLogger(__name__).critical("x")', "critical"),
        ('logger.info("x")', None),
        ('client.error("x")', None),
        ('logger.opt(exception=True).error("x")', "error"),
    ],
)
def test_problem_level(text: str, level: str | None) -> None:
    assert problem_level(_call(text)) == level


def test_async_twin_level() -> None:
    assert problem_level(_call('log.aexception("x")')) == "exception"


@pytest.mark.parametrize(
    "name", ["user_id", "message.from_user.id", "chatId", "tg_id", "request", "order.number"]
)
def test_names_identifier(name: str) -> None:
    assert names_identifier(name)


@pytest.mark.parametrize("name", ["valid", "provider", "message.text", "e", "traceback", "idx"])
def test_names_no_identifier(name: str) -> None:
    assert not names_identifier(name)


@pytest.mark.parametrize(
    "text",
    [
        'logger.error("payment failed for %s", user_id)',
        'logger.error(f"payment failed for {message.from_user.id}: {e}")',
        'logger.error("failed: %s", data["order_id"])',
        'logger.exception("notify failed for booking id=%s", booking.get("id"))',
        'logger.error("failed for %s", getattr(event, "update_id", None))',
        'log.error("payment_failed", user_id=uid)',
        'logger.warning("failed", extra={"chat_id": cid})',
        'logger.exception("failed %s".format(callback.message.chat.id))',
    ],
)
def test_mentions_identifier(text: str) -> None:
    assert mentions_identifier(_call(text))


@pytest.mark.parametrize(
    "text",
    [
        'logger.error("Payment failed")',
        "logger.exception(e)",
        'logger.error(f"Error: {e}")',
        'logger.error("failed", exc_info=True)',
        'logger.error("failed: %s", result.get("error"))',
        'logger.error("Failed to send message to user: %s", str(err))',
    ],
)
def test_mentions_no_identifier(text: str) -> None:
    assert not mentions_identifier(_call(text))


def test_message_text() -> None:
    assert message_text(_call('logger.error("Payment  failed")')) == "Payment failed"
    assert message_text(_call('logger.error(f"failed {e}")')) == "failed {e}"
    assert message_text(_call("logger.exception(e)")) == "e"
    assert message_text(_call("logger.exception()")) == ""
    assert message_text(_call('logger.error("' + "x" * 100 + '")'), 10) == "x" * 9 + "…"
