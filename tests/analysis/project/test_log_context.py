"""Log facts per file: warning-or-worse log calls of functions, and context mechanisms."""

from __future__ import annotations

from prodready.analysis.project import log_context
from tests.analysis.project.helpers import parse_file

_CALLS = """
import logging

logger = logging.getLogger(__name__)
logger.error("at import")  # module level: no function to reach it


async def pay(message, user_id):
    logger.info("paying")
    try:
        ...
    except Exception:
        logger.exception("Payment failed")
        logger.warning("payment failed for %s", user_id)

    def inner():
        logger.error("inner %s", message.chat.id)
"""


def test_log_calls_of_functions() -> None:
    facts = log_context.extract(parse_file(_CALLS, "bot.pay"))
    found = [
        (c.evidence.line, c.function_line, c.level, c.message, c.has_context)
        for c in facts.log_calls
    ]
    assert found == [
        (13, 8, "exception", "Payment failed", False),
        (14, 8, "warning", "payment failed for %s", True),
        (17, 16, "error", "inner %s", True),
    ]
    assert facts.log_context == ()


_MECHANISMS = """
import logging

import sentry_sdk
import structlog
from loguru import logger


class UserFilter(logging.Filter):
    def filter(self, record):
        record.user_id = current_user.get()
        return True


class RedactFilter(logging.Filter):
    def filter(self, record):
        record.msg = redact(record.msg)
        return "/health" not in record.getMessage()


class Adapter(logging.LoggerAdapter):
    pass


async def middleware(handler, event, data):
    structlog.contextvars.bind_contextvars(update_id=event.update_id)
    with logger.contextualize(user_id=event.from_user.id):
        return await handler(event, data)
    logger.bind(name="bot")
    sentry_sdk.set_user({"id": 1})
    sentry_sdk.set_tag("environment", "prod")
    sentry_sdk.set_tag("chat_id", 5)
    logger.error("failed", extra={"chat_id": 5})


logging.setLogRecordFactory(factory)
logging.LoggerAdapter(logging.getLogger(), {"x": 1})
"""


def test_context_mechanisms() -> None:
    facts = log_context.extract(parse_file(_MECHANISMS, "bot.logs"))
    found = sorted((c.evidence.line, c.kind) for c in facts.log_context)
    assert found == [
        (9, "record-filter"),  # RedactFilter (15) only rewrites the message
        (21, "adapter"),
        (26, "contextvars"),
        (27, "bind"),  # logger.bind(name="bot") (29) names no identifier
        (30, "error-scope"),
        (32, "error-scope"),  # set_tag("environment", ...) (31) is not per update
        (33, "extra"),
        (36, "record-filter"),
        (37, "adapter"),
    ]
