"""A whole run: which rules count as run when the ruff bridge is off or fails."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.domain.finding import Note, NoteKind
from prodready.domain.rule import RuleMeta
from prodready.engine import run as run_module
from prodready.engine.ruff_bridge import Lines, RuffOutcome
from prodready.engine.run import run_review
from prodready.judge.judge import judge
from prodready.rules.registry import discover

CATALOGUE = discover()
UPSTREAM = CATALOGUE.upstream_rules[0].meta


def _project(tmp_path: Path) -> Path:
    code = (
        f"import time\nasync def f():\n    time.sleep(1)  # prodready: ignore[{UPSTREAM.id}] ok\n"
    )
    (tmp_path / "app.py").write_text(code, encoding="utf-8")
    return tmp_path


def _hygiene_ids(tmp_path: Path, settings: Settings) -> tuple[set[str], list[str]]:
    raw = run_review([tmp_path], settings, CATALOGUE)
    result = judge(
        root=raw.root,
        files=raw.files,
        lines=raw.lines,
        findings=raw.findings,
        suppressions=raw.suppressions,
        notes=raw.notes,
        selected=raw.selected,
        catalogue=CATALOGUE.metas,
        settings=settings,
    )
    return {m.id for m in raw.selected}, [i.rule.id for i in result.issues]


def test_rules_from_ruff_do_not_count_as_run_when_ruff_is_off(tmp_path: Path) -> None:
    settings = Settings(select=(UPSTREAM.id, "QUAL9"), ruff=False)
    ran, issues = _hygiene_ids(_project(tmp_path), settings)
    assert UPSTREAM.id not in ran
    assert issues == []


def test_rules_from_ruff_do_not_count_as_run_when_ruff_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(
        root: Path, files: Sequence[str], rules: Sequence[RuleMeta], lines: Lines
    ) -> RuffOutcome:
        return RuffOutcome(
            (), (Note("", NoteKind.TOOL, "ruff exited 2: boom; its rules were skipped"),)
        )

    monkeypatch.setattr(run_module, "run_ruff", failing)
    settings = Settings(select=(UPSTREAM.id, "QUAL9"))
    ran, issues = _hygiene_ids(_project(tmp_path), settings)
    assert UPSTREAM.id not in ran
    assert issues == []
