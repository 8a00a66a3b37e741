"""The verdict thresholds and when a review fails under each --fail-on value."""

from __future__ import annotations

import pytest

from prodready.config.settings import FailOn, VerdictThresholds
from prodready.domain.result import Issue, VerdictLevel
from prodready.domain.taxonomy import Confidence, Severity
from prodready.judge.verdict import TOP_FIXES, decide, fails
from tests.judge.fakes import issue, meta

DEFAULT = VerdictThresholds()


def _majors(count: int) -> tuple[Issue, ...]:
    return tuple(issue(meta(f"RES{n:03}", Severity.MAJOR)) for n in range(count))


def test_no_issue_is_production_ready() -> None:
    verdict = decide((), DEFAULT)
    assert verdict.level is VerdictLevel.READY
    assert verdict.top_fixes == ()
    assert verdict.reasons


def test_a_blocker_is_not_production_ready() -> None:
    issues = (issue(meta("SEC001", Severity.BLOCKER)), issue(meta("QUAL001", Severity.MINOR)))
    verdict = decide(issues, DEFAULT)
    assert verdict.level is VerdictLevel.NOT_READY
    assert "1 blocker" in verdict.reasons[0]


def test_a_medium_confidence_blocker_is_not_production_ready() -> None:
    blocker = issue(meta("SEC001", Severity.BLOCKER, Confidence.MEDIUM))
    assert decide((blocker,), DEFAULT).level is VerdictLevel.NOT_READY


def test_a_low_confidence_blocker_needs_fixes() -> None:
    blocker = issue(meta("SEC001", Severity.BLOCKER, Confidence.LOW))
    verdict = decide((blocker,), DEFAULT)
    assert verdict.level is VerdictLevel.READY_WITH_FIXES
    assert any("low-confidence blocker" in reason for reason in verdict.reasons)


def test_blocker_confidence_threshold_is_configurable() -> None:
    blocker = issue(meta("SEC001", Severity.BLOCKER, Confidence.MEDIUM))
    strict = VerdictThresholds(blockers_need_confidence=Confidence.HIGH)
    assert decide((blocker,), strict).level is VerdictLevel.READY_WITH_FIXES
    lenient = VerdictThresholds(blockers_need_confidence=Confidence.LOW)
    low = issue(meta("SEC002", Severity.BLOCKER, Confidence.LOW))
    assert decide((low,), lenient).level is VerdictLevel.NOT_READY


def test_a_critical_needs_fixes() -> None:
    verdict = decide((issue(meta("RES001", Severity.CRITICAL)),), DEFAULT)
    assert verdict.level is VerdictLevel.READY_WITH_FIXES
    assert any("1 critical" in reason for reason in verdict.reasons)


def test_majors_below_the_threshold_are_production_ready() -> None:
    verdict = decide(_majors(DEFAULT.majors_for_fixes - 1), DEFAULT)
    assert verdict.level is VerdictLevel.READY
    assert "below the threshold" in verdict.reasons[0]


def test_majors_at_the_threshold_need_fixes() -> None:
    verdict = decide(_majors(DEFAULT.majors_for_fixes), DEFAULT)
    assert verdict.level is VerdictLevel.READY_WITH_FIXES
    assert any("threshold 3" in reason for reason in verdict.reasons)


def test_major_threshold_is_configurable() -> None:
    assert decide(_majors(1), VerdictThresholds(majors_for_fixes=1)).level is (
        VerdictLevel.READY_WITH_FIXES
    )


def test_only_minors_and_infos_are_production_ready() -> None:
    issues = tuple(issue(meta(f"QUAL{n:03}", Severity.MINOR), locations=50) for n in range(20))
    issues += (issue(meta("QUAL999", Severity.INFO)),)
    verdict = decide(issues, DEFAULT)
    assert verdict.level is VerdictLevel.READY
    assert verdict.top_fixes == ()


def test_top_fixes_list_major_and_worse_in_the_given_order_capped() -> None:
    issues = (
        issue(meta("SEC001", Severity.BLOCKER), locations=3),
        issue(meta("QUAL001", Severity.MINOR)),
        *_majors(TOP_FIXES + 2),
    )
    verdict = decide(issues, DEFAULT)
    assert len(verdict.top_fixes) == TOP_FIXES
    assert verdict.top_fixes[0] == "[blocker] SEC001 title of SEC001 — a.py:1 and 2 more"
    assert verdict.top_fixes[1] == "[major] RES000 title of RES000 — a.py:1"
    assert not any("QUAL001" in fix for fix in verdict.top_fixes)


BLOCKER = issue(meta("SEC001", Severity.BLOCKER))
CRITICAL = issue(meta("RES001", Severity.CRITICAL))
MAJOR = issue(meta("RES002", Severity.MAJOR))
MINOR = issue(meta("QUAL001", Severity.MINOR))
INFO = issue(meta("QUAL002", Severity.INFO))


@pytest.mark.parametrize(
    ("issues", "expected"),
    [
        ((), set()),
        ((INFO,), set()),
        ((MINOR,), {FailOn.MINOR}),
        ((MAJOR,), {FailOn.MINOR, FailOn.MAJOR}),
        ((MAJOR, MAJOR, MAJOR), {FailOn.MINOR, FailOn.MAJOR, FailOn.WITH_FIXES}),
        ((CRITICAL,), {FailOn.MINOR, FailOn.MAJOR, FailOn.CRITICAL, FailOn.WITH_FIXES}),
        (
            (BLOCKER,),
            {
                FailOn.MINOR,
                FailOn.MAJOR,
                FailOn.CRITICAL,
                FailOn.BLOCKER,
                FailOn.WITH_FIXES,
                FailOn.NOT_READY,
            },
        ),
    ],
    ids=["none", "info", "minor", "major", "three-majors", "critical", "blocker"],
)
def test_fails_for_every_fail_on_value(issues: tuple[Issue, ...], expected: set[FailOn]) -> None:
    verdict = decide(issues, DEFAULT)
    failing = {fail_on for fail_on in FailOn if fails(verdict, issues, fail_on)}
    assert failing == expected


def test_fail_on_severity_names() -> None:
    assert FailOn.CRITICAL.severity is Severity.CRITICAL
    assert FailOn.NOT_READY.severity is None
    assert FailOn.NEVER.severity is None


def test_the_verdict_says_when_files_could_not_be_reviewed() -> None:
    verdict = decide((), DEFAULT, files=10, unreviewed=2)
    assert verdict.level is VerdictLevel.READY
    assert (
        verdict.reasons[-1]
        == "2 file(s) could not be read or parsed; the verdict does not cover them"
    )
    assert len(decide((), DEFAULT, files=10, unreviewed=0).reasons) == 1


def test_the_verdict_says_when_nothing_was_reviewed() -> None:
    for files, unreviewed in ((0, 0), (3, 3)):
        verdict = decide((), DEFAULT, files=files, unreviewed=unreviewed)
        assert "nothing supports this verdict" in verdict.reasons[-1]
