"""The production-practices checklist: missing with evidence, or honestly not assessed."""

from __future__ import annotations

from prodready.analysis.project.model import Evidence, PracticeAssessment, PracticeEvidence
from prodready.domain.result import PracticeStatus
from prodready.domain.taxonomy import Practice, Severity
from prodready.judge.checklist import checklist
from tests.judge.fakes import issue, meta

RETRY = meta("RES010", Severity.MAJOR, practices=(Practice.RETRY_BACKOFF,))
SHUTDOWN = meta("ASY010", Severity.MAJOR, practices=(Practice.GRACEFUL_SHUTDOWN,))


def test_one_item_per_practice_in_order() -> None:
    items = checklist((), ())
    assert [item.practice for item in items] == list(Practice)
    assert all(item.status is PracticeStatus.NOT_ASSESSED for item in items)
    assert all(item.reason == "no rule assesses this practice yet" for item in items)


def test_missing_when_a_related_rule_reported() -> None:
    items = {i.practice: i for i in checklist((issue(RETRY, locations=7),), (RETRY, SHUTDOWN))}
    retry = items[Practice.RETRY_BACKOFF]
    assert retry.status is PracticeStatus.MISSING
    assert retry.reason == "7 finding(s) of RES010 show it is needed"
    assert len(retry.evidence) == 5
    assert retry.evidence[0] == "a.py:1 (RES010) RES010 at 1"


def test_not_assessed_when_the_related_rule_found_nothing() -> None:
    items = {i.practice: i for i in checklist((issue(RETRY),), (RETRY, SHUTDOWN))}
    shutdown = items[Practice.GRACEFUL_SHUTDOWN]
    assert shutdown.status is PracticeStatus.NOT_ASSESSED
    assert "ASY010 found nothing" in shutdown.reason
    assert items[Practice.OUTBOX].reason == "no rule assesses this practice yet"


def _assessed(practice: Practice, status: PracticeStatus, reason: str) -> PracticeAssessment:
    where = PracticeEvidence(Evidence("app/main.py", 12), "aiogram3 polling")
    return PracticeAssessment(practice, status, reason, (where,))


def test_the_assessment_decides_when_no_rule_reported() -> None:
    assessments = (
        _assessed(Practice.GRACEFUL_SHUTDOWN, PracticeStatus.PRESENT, "SIGTERM stops polling"),
        _assessed(Practice.OUTBOX, PracticeStatus.NOT_NEEDED, "no dual write"),
    )
    items = {i.practice: i for i in checklist((), (RETRY, SHUTDOWN), assessments)}
    shutdown = items[Practice.GRACEFUL_SHUTDOWN]
    assert (shutdown.status, shutdown.reason) == (PracticeStatus.PRESENT, "SIGTERM stops polling")
    assert shutdown.evidence == ("app/main.py:12: aiogram3 polling",)
    assert items[Practice.OUTBOX].status is PracticeStatus.NOT_NEEDED
    assert items[Practice.MIGRATIONS].status is PracticeStatus.NOT_ASSESSED


def test_a_finding_makes_it_missing_whatever_the_assessment_says() -> None:
    present = _assessed(Practice.RETRY_BACKOFF, PracticeStatus.PRESENT, "tenacity is used")
    missing = _assessed(Practice.GRACEFUL_SHUTDOWN, PracticeStatus.MISSING, "SIGTERM kills it")
    issues = (issue(RETRY, locations=2), issue(SHUTDOWN))
    items = {i.practice: i for i in checklist(issues, (RETRY, SHUTDOWN), (present, missing))}
    retry = items[Practice.RETRY_BACKOFF]
    assert retry.status is PracticeStatus.MISSING
    assert retry.reason == "2 finding(s) of RES010 show it is needed"
    shutdown = items[Practice.GRACEFUL_SHUTDOWN]
    assert shutdown.reason == "1 finding(s) of ASY010 show it is needed; SIGTERM kills it"
    assert shutdown.evidence == ("a.py:1 (ASY010) ASY010 at 1", "app/main.py:12: aiogram3 polling")


def test_not_applicable_stays_unless_a_rule_reports() -> None:
    reason = "no service runs here"
    assessments = tuple(
        PracticeAssessment(p, PracticeStatus.NOT_APPLICABLE, reason) for p in Practice
    )
    items = checklist((issue(RETRY),), (RETRY,), assessments)
    statuses = {i.practice: i.status for i in items}
    assert statuses.pop(Practice.RETRY_BACKOFF) is PracticeStatus.MISSING
    assert set(statuses.values()) == {PracticeStatus.NOT_APPLICABLE}
