"""The benchmark scripts still run (on a small generated service; nothing is timed here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_review_prints_one_row_per_size() -> None:
    lines = _run("bench_review.py", "600").splitlines()
    assert lines[0].split() == ["files", "lines", "wall", "s", "cpu", "s", "lines/s", "findings"]
    assert len(lines) == 2


def test_profile_rules_names_the_stages_and_rules() -> None:
    out = _run("profile_rules.py", "600", "100")
    assert "(whole review)" in out
    assert "(walk + all file rules)" in out
    assert "RES001" in out
