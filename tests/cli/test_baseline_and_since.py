"""--write-baseline / --baseline and --since, through the installed command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BAD = (
    "import aiohttp\n\n\nasync def get(url):\n"
    "    async with aiohttp.ClientSession() as s:\n        return await s.get(url)\n"
)


def _review(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "prodready",
            "review",
            str(root),
            "--select",
            "RES001",
            "--fail-on",
            "major",
            "--no-color",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_baseline_hides_known_findings_and_reports_new_ones(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    project.mkdir()
    (project / "client.py").write_text(BAD, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = _review(project, "--write-baseline", str(baseline))
    assert written.returncode == 0, written.stderr
    assert "recorded 1 finding(s)" in written.stdout
    (project / "client.py").write_text("# moved down\n\n" + BAD, encoding="utf-8")
    again = _review(project, "--baseline", str(baseline))
    assert again.returncode == 0, again.stdout
    assert "1 baselined" in again.stdout
    (project / "other.py").write_text(BAD, encoding="utf-8")
    new = _review(project, "--baseline", str(baseline))
    assert new.returncode == 1
    assert "other.py" in new.stdout and "client.py:" not in new.stdout


def test_missing_baseline_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    done = _review(tmp_path, "--baseline", str(tmp_path / "nope.json"))
    assert done.returncode == 2
    assert "nope.json" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_since_reports_only_changed_files(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "ci@example.org")
    git("config", "user.name", "ci")
    (tmp_path / "old.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "touched.py").write_text("x = 1\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "start")
    (tmp_path / "touched.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "untracked.py").write_text(BAD, encoding="utf-8")
    done = _review(tmp_path, "--since", "HEAD")
    assert done.returncode == 1
    assert "touched.py" in done.stdout and "untracked.py" in done.stdout
    assert "old.py" not in done.stdout
    bad_ref = _review(tmp_path, "--since", "no-such-ref")
    assert bad_ref.returncode == 2 and "Traceback" not in bad_ref.stderr
    option = _review(tmp_path, "--since=--output=/tmp/x")
    assert option.returncode == 2 and "not a git revision" in option.stderr
