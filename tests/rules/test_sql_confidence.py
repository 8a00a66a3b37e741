"""SEC001 is sure of request and handler data, unsure of SQL built from configuration."""

from __future__ import annotations

from pathlib import Path

from prodready.config.settings import Settings
from prodready.domain.taxonomy import Confidence
from prodready.engine.run import run_review
from prodready.rules.registry import discover

FIXTURE = Path(__file__).parent.parent / "fixtures/rules/security/SEC001_sql_from_strings.py"


def test_sql_from_settings_is_low_confidence_and_user_text_is_not() -> None:
    settings = Settings(select=("SEC001",), respect_gitignore=False, ruff=False)
    raw = run_review([FIXTURE], settings, discover())
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    by_text = {lines[f.location.line - 1].strip(): f.confidence for f in raw.findings}
    created = 'await conn.execute(text(f"CREATE DATABASE {db_name}"))  # expect: SEC001'
    assert by_text[created] is Confidence.LOW
    from_user = next(k for k in by_text if "{username}" in k)
    assert by_text[from_user] in (None, Confidence.HIGH)
