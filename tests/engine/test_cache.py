"""The opt-in per-file cache: same results, unchanged files not re-analysed, nothing
written unless a folder was named."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.engine import parallel
from prodready.engine.run import run_review
from prodready.rules.registry import discover

BAD = "import aiohttp\n\n\nasync def get():\n    return aiohttp.ClientSession()\n"


def test_second_run_reuses_unchanged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, cache = tmp_path / "p", tmp_path / "cache"
    project.mkdir()
    (project / "a.py").write_text(BAD, encoding="utf-8")
    (project / "b.py").write_text("x = 1\n", encoding="utf-8")
    settings = Settings(ruff=False, cache_dir=str(cache), jobs=1)
    first = run_review([project], settings, discover())
    assert len(list(cache.rglob("*.pickle"))) == 2

    calls: list[str] = []
    real = parallel.analyse_bytes

    def counting(ref, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(ref.relative)
        return real(ref, *args, **kwargs)

    monkeypatch.setattr(parallel, "analyse_bytes", counting)
    (project / "b.py").write_text("y = 2\n", encoding="utf-8")
    second = run_review([project], settings, discover())
    assert calls == ["b.py"]  # a.py came from the cache
    assert second.findings == first.findings
    assert second.project.model == first.project.model


def test_no_cache_folder_means_nothing_written(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    run_review([tmp_path], Settings(ruff=False, jobs=1), discover())
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_unwritable_cache_does_not_break_the_review(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD, encoding="utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    raw = run_review([tmp_path / "a.py"], Settings(ruff=False, cache_dir=str(blocker)), discover())
    assert [f.rule_id for f in raw.findings] == ["RES001"]
