"""Findings -> one issue per rule: locations, severity overrides, min severity, priority order."""

from __future__ import annotations

from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.judge.group import group_issues, priority
from tests.judge.fakes import finding, meta

RES = meta("RES001", Severity.MAJOR)
RES2 = meta("RES002", Severity.CRITICAL, Confidence.MEDIUM)
SEC = meta("SEC001", Severity.BLOCKER, dimension=Dimension.SECURITY)
QUAL = meta("QUAL001", Severity.MINOR, dimension=Dimension.QUALITY)
CATALOGUE = {m.id: m for m in (RES, RES2, SEC, QUAL)}


def test_one_issue_per_rule_with_every_location_sorted() -> None:
    findings = [
        finding("RES001", "b.py", 3),
        finding("RES001", "a.py", 9),
        finding("QUAL001", "a.py", 1),
        finding("RES001", "a.py", 2),
    ]
    issues = group_issues(findings, CATALOGUE, (), Severity.INFO)
    assert [i.rule.id for i in issues] == ["RES001", "QUAL001"]
    res = issues[0]
    assert [(f.location.path, f.location.line) for f in res.findings] == [
        ("a.py", 2),
        ("a.py", 9),
        ("b.py", 3),
    ]
    assert (res.severity, res.confidence) == (Severity.MAJOR, Confidence.HIGH)


def test_findings_of_unknown_rules_are_dropped() -> None:
    assert group_issues([finding("NOPE001")], CATALOGUE, (), Severity.INFO) == ()


def test_a_finding_may_raise_the_severity_of_its_issue() -> None:
    findings = [finding("RES001", line=1), finding("RES001", line=2, severity=Severity.CRITICAL)]
    [issue] = group_issues(findings, CATALOGUE, (), Severity.INFO)
    assert issue.severity is Severity.CRITICAL


def test_each_finding_carries_the_severity_and_confidence_it_is_judged_at() -> None:
    findings = [
        finding("RES002", line=1),
        finding("RES002", line=2, severity=Severity.BLOCKER, confidence=Confidence.LOW),
    ]
    [issue] = group_issues(findings, CATALOGUE, (), Severity.INFO)
    assert [(f.severity, f.confidence) for f in issue.findings] == [
        (Severity.CRITICAL, Confidence.MEDIUM),  # the rule's own
        (Severity.BLOCKER, Confidence.LOW),  # the finding's
    ]
    [overridden] = group_issues(findings, CATALOGUE, (("RES002", Severity.MINOR),), Severity.INFO)
    assert {f.severity for f in overridden.findings} == {Severity.MINOR}


def test_severity_override_by_id_name_prefix_and_all() -> None:
    for key in ("RES001", "rule-res001", "RES", "ALL"):
        [issue] = group_issues(
            [finding("RES001")], CATALOGUE, ((key, Severity.MINOR),), Severity.INFO
        )
        assert issue.severity is Severity.MINOR, key


def test_the_most_specific_override_wins_whatever_the_order() -> None:
    overrides = (("ALL", Severity.INFO), ("RES", Severity.MINOR), ("RES001", Severity.BLOCKER))
    for ordered in (overrides, tuple(reversed(overrides))):
        issues = group_issues(
            [finding("RES001"), finding("RES002"), finding("SEC001")],
            CATALOGUE,
            ordered,
            Severity.INFO,
        )
        severities = {i.rule.id: i.severity for i in issues}
        assert severities == {
            "RES001": Severity.BLOCKER,
            "RES002": Severity.MINOR,
            "SEC001": Severity.INFO,
        }


def test_min_severity_drops_less_severe_issues() -> None:
    findings = [finding("RES001"), finding("QUAL001"), finding("SEC001")]
    issues = group_issues(findings, CATALOGUE, (), Severity.MAJOR)
    assert {i.rule.id for i in issues} == {"RES001", "SEC001"}


def test_min_severity_applies_after_overrides() -> None:
    issues = group_issues(
        [finding("QUAL001")], CATALOGUE, (("QUAL001", Severity.MAJOR),), Severity.MAJOR
    )
    assert [i.rule.id for i in issues] == ["QUAL001"]


def test_priority_is_severity_times_confidence_times_reach() -> None:
    assert priority(Severity.BLOCKER, Confidence.HIGH, 1) == 100
    assert priority(Severity.MAJOR, Confidence.MEDIUM, 1) == 10.5
    assert priority(Severity.MAJOR, Confidence.HIGH, 4) == 45
    assert priority(Severity.MINOR, Confidence.LOW, 0) == 1.6


def test_issues_are_ordered_by_priority_then_severity_dimension_and_id() -> None:
    findings = [
        finding("QUAL001"),
        *(finding("RES001", line=n) for n in range(1, 9)),
        finding("SEC001"),
        finding("RES002"),
    ]
    issues = group_issues(findings, CATALOGUE, (), Severity.INFO)
    assert [(i.rule.id, i.priority) for i in issues] == [
        ("SEC001", 100),
        ("RES001", 60),
        ("RES002", 28),
        ("QUAL001", 4),
    ]


def test_ties_are_broken_by_dimension_then_id() -> None:
    a, b = meta("SEC002", Severity.MAJOR, dimension=Dimension.SECURITY), meta("ARC001")
    catalogue = {a.id: a, b.id: b}
    issues = group_issues([finding("SEC002"), finding("ARC001")], catalogue, (), Severity.INFO)
    assert [i.rule.id for i in issues] == ["ARC001", "SEC002"]
