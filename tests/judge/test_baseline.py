from __future__ import annotations

import json
from pathlib import Path

import pytest

from prodready.domain.finding import Finding, Location
from prodready.judge.baseline import BaselineError, apply_baseline, baseline_text, read_baseline


def _finding(line: int, snippet: str = "s = ClientSession()", rule: str = "RES001") -> Finding:
    return Finding(rule, Location("app/http.py", line), "no timeout", snippet=snippet)


def test_round_trip_and_moved_code_stays_baselined(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(baseline_text([_finding(10)]), encoding="utf-8")
    baseline = read_baseline(path)
    moved = apply_baseline([_finding(42)], baseline)  # 32 lines inserted above
    assert moved.kept == () and moved.baselined == 1


def test_new_findings_are_kept() -> None:
    baseline = frozenset(
        json.loads(baseline_text([_finding(10)]))["findings"][0]["fingerprint"] for _ in [0]
    )
    other = apply_baseline([_finding(10), _finding(11, "t = ClientSession()")], baseline)
    assert [f.location.line for f in other.kept] == [11]
    assert other.baselined == 1


def test_a_second_identical_occurrence_is_new() -> None:
    baseline_file = json.loads(baseline_text([_finding(10)]))
    baseline = frozenset(e["fingerprint"] for e in baseline_file["findings"])
    result = apply_baseline([_finding(10), _finding(20)], baseline)
    assert [f.location.line for f in result.kept] == [20]


def test_baseline_text_is_stable_and_sorted() -> None:
    findings = [_finding(20, "b()"), _finding(10, "a()")]
    assert baseline_text(findings) == baseline_text(list(reversed(findings)))


@pytest.mark.parametrize("content", ["not json", "[]", '{"findings": 3}'])
def test_unreadable_baselines_name_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=r"b\.json"):
        read_baseline(path)
    with pytest.raises(BaselineError, match="--write-baseline"):
        read_baseline(tmp_path / "missing.json")
