"""The production-practices checklist: missing with evidence, or honestly not assessed."""

from __future__ import annotations

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
