"""The README's first command, end to end: the installed CLI on the shipped example project.

The example (examples/stars-subscription-bot) is a deliberately flawed Telegram Stars
subscription service. Every finding below was checked by hand against the defects planted
in it (see examples/stars-subscription-bot/README.md); a new rule that finds something
there must be added here after the same check, and a rule that stops finding it fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "stars-subscription-bot"
EXPECTED = Path(__file__).with_name("example_findings.txt")


def _review(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prodready", "review", str(EXAMPLE), "--no-color", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )


def _expected() -> set[tuple[str, str, int]]:
    rows = set()
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rule, where = line.split()[:2]
            path, number = where.rsplit(":", 1)
            rows.add((rule, path, int(number)))
    return rows


def test_exact_findings_on_the_example() -> None:
    done = _review("--format", "json")
    assert done.returncode == 1, done.stderr  # Not production-ready: the default fail-on
    report = json.loads(done.stdout)
    found = {
        (issue["rule_id"], finding["path"], finding["line"])
        for issue in report["issues"]
        for finding in issue["findings"]
    }
    expected = _expected()
    assert sorted(found - expected) == [], "new findings: check them by hand, then list them"
    assert sorted(expected - found) == [], "findings that disappeared"
    assert report["verdict"]["level"] == "not-ready"


def test_text_report_ends_with_the_verdict_and_fixes() -> None:
    done = _review()
    assert done.returncode == 1
    assert "Verdict: Not production-ready" in done.stdout
    assert "Fix first:" in done.stdout
    assert "Traceback" not in done.stderr
