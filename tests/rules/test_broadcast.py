"""Broadcast loops: which collections hold a handful of chats, and how a loop is paced."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.domain.taxonomy import Confidence, Severity
from prodready.engine.run import run_review
from prodready.rules.broadcast import few_chats
from prodready.rules.registry import discover

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules" / "resilience"


@pytest.mark.parametrize(
    ("code", "few"),
    [
        ("[1, 2, 3]", True),
        ("ADMIN_IDS", True),
        ("settings.notify_chats", True),
        ("config.bot.admins", True),
        ("await repo.get_admins()", True),
        ("range(3)", True),
        ("users", False),
        ("await repo.all_users()", False),
        ("range(len(users))", False),
        ("self.subscribers", False),
    ],
)
def test_few_chats(code: str, few: bool) -> None:
    assert few_chats(ast.parse(code, mode="eval").body) is few


def test_a_paced_loop_is_minor_and_low_confidence() -> None:
    settings = Settings(select=("RES005",), respect_gitignore=False, ruff=False)
    raw = run_review([FIXTURES / "RES005_broadcast_aiogram3.py"], settings, discover())
    by_line = {f.location.line: f for f in raw.findings}
    paced = by_line[29]
    assert (paced.severity, paced.confidence) == (Severity.MINOR, Confidence.LOW)
    assert "pacing" in paced.message
    plain = by_line[15]
    assert (plain.severity, plain.confidence) == (None, None)
    assert "TelegramRetryAfter" in plain.message
