"""scripts/gen_rule_docs.py --check: exit 1 and name the stale pages, without writing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gen_rule_docs.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_check_names_stale_missing_and_extra_pages_and_writes_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "rules"
    assert _run("--docs", str(docs)).returncode == 0  # generate into a temp folder
    pages = sorted(p.name for p in docs.glob("*.md"))
    assert "README.md" in pages and len(pages) > 10
    assert _run("--check", "--docs", str(docs)).returncode == 0

    edited, removed = docs / pages[1], docs / pages[2]
    edited.write_text("hand edit\n", encoding="utf-8")
    removed.unlink()
    (docs / "XYZ999.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    done = _run("--check", "--docs", str(docs))
    assert done.returncode == 1
    for name in (edited.name, removed.name, "XYZ999.md"):
        assert name in done.stderr
    assert edited.read_text(encoding="utf-8") == "hand edit\n"  # --check wrote nothing
    assert not removed.exists() and (docs / "XYZ999.md").exists()

    assert _run("--docs", str(docs)).returncode == 0  # regenerating fixes all three
    assert _run("--check", "--docs", str(docs)).returncode == 0
    assert not (docs / "XYZ999.md").exists()
