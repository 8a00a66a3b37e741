"""The ruff bridge in a whole review: ruff missing or failing, switched off, and suppressions
(ruff's own `# noqa` and prodready's `# prodready: ignore[...]`) on presented findings."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.domain.finding import NoteKind
from prodready.domain.result import ReviewResult
from prodready.domain.rule import RuleMeta
from prodready.engine import ruff_bridge
from prodready.engine import run as run_module
from prodready.engine.ruff_bridge import Lines, RuffOutcome, find_ruff
from prodready.engine.run import RawReview, run_review
from prodready.judge.judge import judge
from prodready.rules.registry import discover

CATALOGUE = discover()
UPSTREAM = tuple(rule.meta for rule in CATALOGUE.upstream_rules)
RUFF = find_ruff() or "ruff"
CHECK = (RUFF, "check", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json")
FENCE = re.compile(r"```python\n(.*?)```", re.S)
# RES001 (native): an aiohttp session with no timeout; OBS102 (ruff S110): except-pass
SERVICE = """\
import aiohttp


def make_session():
    return aiohttp.ClientSession()


def parse(text):
    try:
        return int(text)
    except Exception:
        pass
    return 0
"""
BOTH = Settings(select=("RES001", "OBS102"))


def _review(tmp_path: Path, settings: Settings, code: str = SERVICE) -> RawReview:
    (tmp_path / "service.py").write_text(code, encoding="utf-8")
    return run_review([tmp_path], settings, CATALOGUE)


def _judged(raw: RawReview, settings: Settings) -> ReviewResult:
    return judge(
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


def _reported(raw: RawReview) -> list[tuple[str, int]]:
    return [(f.rule_id, f.location.line) for f in raw.findings]


def test_ruff_runs_and_its_findings_are_presented(tmp_path: Path) -> None:
    raw = _review(tmp_path, BOTH)
    assert _reported(raw) == [("RES001", 5), ("OBS102", 11)]
    presented = raw.findings[1]
    assert "(ruff S110)" in presented.message
    assert presented.snippet.strip() == "except Exception:"
    assert not raw.notes


def test_ruff_missing_is_one_note_and_the_review_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ruff_bridge, "find_ruff", lambda: None)
    raw = _review(tmp_path, BOTH)
    assert _reported(raw) == [("RES001", 5)]
    assert [(n.kind, n.message) for n in raw.notes] == [
        (NoteKind.TOOL, "ruff is not installed: its rules were skipped")
    ]
    assert "OBS102" not in {meta.id for meta in raw.selected}


def _exits_2(tmp_path: Path) -> str:
    script = tmp_path.parent / f"{tmp_path.name}-fake-ruff.sh"
    script.write_text("#!/bin/sh\necho 'ruff failed: boom' >&2\nexit 2\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("program", "says"),
    [
        ("", "ruff exited 2: ruff failed: boom; its rules were skipped"),
        ("/bin/false", "ruff exited 1: no message; its rules were skipped"),
    ],
    ids=["exits-2", "bin-false"],
)
def test_ruff_failing_is_one_note_and_the_review_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: str, says: str
) -> None:
    path = program or _exits_2(tmp_path)
    monkeypatch.setattr(ruff_bridge, "find_ruff", lambda: path)
    raw = _review(tmp_path, BOTH)
    assert _reported(raw) == [("RES001", 5)]
    assert [(n.kind, n.message) for n in raw.notes] == [(NoteKind.TOOL, says)]
    assert "OBS102" not in {meta.id for meta in raw.selected}


def test_ruff_printing_nothing_is_a_failure_not_a_clean_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ruff_bridge, "find_ruff", lambda: "/bin/true")
    raw = _review(tmp_path, BOTH)
    assert _reported(raw) == [("RES001", 5)]
    assert [n.kind for n in raw.notes] == [NoteKind.TOOL]


def test_ruff_switched_off_is_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Sequence[str]] = []

    def spy(
        root: Path, files: Sequence[str], rules: Sequence[RuleMeta], lines: Lines
    ) -> RuffOutcome:
        calls.append(files)
        return RuffOutcome((), ())

    monkeypatch.setattr(run_module, "run_ruff", spy)
    raw = _review(tmp_path, Settings(select=("RES001", "OBS102"), ruff=False))
    assert calls == []
    assert _reported(raw) == [("RES001", 5)]
    assert not raw.notes
    run_review([tmp_path], BOTH, CATALOGUE)
    assert len(calls) == 1, "the spy sees ruff when it is on"


def test_a_users_noqa_is_honoured_by_ruff(tmp_path: Path) -> None:
    code = (
        "def parse(text):\n"
        "    try:\n"
        "        return int(text)\n"
        "    except Exception:  # noqa: S110 - best effort\n"
        "        pass\n"
        "    try:\n"
        "        return float(text)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    raw = _review(tmp_path, Settings(select=("OBS102",)), code)
    assert _reported(raw) == [("OBS102", 8)]


def test_a_prodready_suppression_hides_the_presented_finding(tmp_path: Path) -> None:
    settings = Settings(select=("OBS102", "QUAL9"))
    code = (
        "def parse(text):\n"
        "    try:\n"
        "        return int(text)\n"
        "    except Exception:  # prodready: ignore[OBS102] malformed input means zero\n"
        "        pass\n"
        "    try:\n"
        "        return float(text)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    result = _judged(_review(tmp_path, settings, code), settings)
    reported = [(i.rule.id, f.location.line) for i in result.issues for f in i.findings]
    assert reported == [("OBS102", 8)]  # and no "unused suppression" (QUAL9xx) finding
    assert result.suppressed == 1


def test_every_presented_code_exists_in_the_pinned_ruff(tmp_path: Path) -> None:
    # an unknown code makes ruff exit 2 ("Unknown rule selector"): every review would lose them
    (tmp_path / "empty.py").write_text("", encoding="utf-8")
    codes = sorted({code for meta in UPSTREAM for code in meta.upstream})
    done = subprocess.run(
        [*CHECK, "--select", ",".join(codes), str(tmp_path / "empty.py")],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("meta", UPSTREAM, ids=lambda meta: meta.id)
def test_a_fix_example_is_clean_under_its_ruff_codes(meta: RuleMeta, tmp_path: Path) -> None:
    # the catalogue test runs with ruff off; presented rules are checked against ruff here
    files = []
    for index, block in enumerate(FENCE.findall(meta.fix)):
        path = tmp_path / f"fix_{index}.py"
        path.write_text(block, encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        [*CHECK, "--select", ",".join(meta.upstream), *files],
        capture_output=True,
        check=False,
    )
    found = [(item["code"], item["location"]["row"]) for item in json.loads(done.stdout)]
    assert found == [], f"{meta.id}: its own Fix example trips ruff"
