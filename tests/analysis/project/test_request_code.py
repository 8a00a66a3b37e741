"""Code that runs per update or request: handlers, routes, per-request hooks, what they reach."""

from __future__ import annotations

from prodready.analysis.project.build import build_project, file_facts
from prodready.analysis.project.request_code import request_log_calls
from tests.analysis.project.helpers import parse_file

_BOT = """
import logging

from aiogram import Router
from aiogram.types import Message

from bot.services import charge

router = Router()
log = logging.getLogger(__name__)


@router.message()
async def buy(message: Message) -> None:
    try:
        await charge()
    except Exception:
        log.exception("Payment failed")


async def on_startup() -> None:
    log.error("Startup is not per request")
"""

_SERVICES = """
import logging

log = logging.getLogger(__name__)


async def charge() -> None:
    log.warning("Provider slow for %s", "x")
    _audit()


def _audit() -> None:
    log.error("Audit failed")


def unused() -> None:
    log.error("Never called from a handler")
"""


def test_request_log_calls_follow_handlers_into_services() -> None:
    facts = [
        file_facts(parse_file(_BOT, "bot.handlers")),
        file_facts(parse_file(_SERVICES, "bot.services")),
    ]
    found = sorted((c.evidence.path, c.message) for c in request_log_calls(build_project(facts)))
    assert found == [
        ("bot/handlers.py", "Payment failed"),
        ("bot/services.py", "Audit failed"),
        ("bot/services.py", "Provider slow for %s"),
    ]
