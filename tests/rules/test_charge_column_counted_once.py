"""DB010 and RACE001 name the same missing unique constraint on the charge id column once:
RACE001 owns it (at the grant), DB010 points at the column as information."""

from __future__ import annotations

from pathlib import Path

from prodready.config.settings import Settings
from prodready.domain.taxonomy import Severity
from prodready.engine.run import run_review
from prodready.rules.registry import discover

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "rules"
    / "state"
    / "RACE001_aiogram3_stored_not_unique"
)


def test_charge_column_is_one_blocker() -> None:
    settings = Settings(select=("DB010", "RACE001"), respect_gitignore=False)
    raw = run_review([FIXTURE], settings, discover())
    by_rule = {f.rule_id: f for f in raw.findings}
    assert set(by_rule) == {"DB010", "RACE001"}
    column = by_rule["DB010"]
    assert column.severity is Severity.INFO
    assert "RACE001" in column.message and "on_paid" in column.message
    assert "DB010" in by_rule["RACE001"].message
    assert by_rule["RACE001"].severity in (None, Severity.BLOCKER)
