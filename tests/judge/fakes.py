"""Hand-built rule metadata and findings for judge tests (no rule module involved)."""

from __future__ import annotations

from prodready.domain.finding import Finding, Location
from prodready.domain.result import Issue
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.judge.group import priority


def meta(
    rule_id: str,
    severity: Severity = Severity.MAJOR,
    confidence: Confidence = Confidence.HIGH,
    dimension: Dimension = Dimension.RESILIENCE,
    practices: tuple[Practice, ...] = (),
) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        name=f"rule-{rule_id.lower()}",
        title=f"title of {rule_id}",
        dimension=dimension,
        severity=severity,
        confidence=confidence,
        what="w",
        why="w",
        fix="f",
        migration="m",
        practices=practices,
    )


def finding(rule_id: str, path: str = "a.py", line: int = 1, **kwargs: object) -> Finding:
    return Finding(rule_id, Location(path, line), f"{rule_id} at {line}", **kwargs)  # type: ignore[arg-type]


def issue(
    rule: RuleMeta,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    locations: int = 1,
) -> Issue:
    found = tuple(finding(rule.id, line=n) for n in range(1, locations + 1))
    sev, conf = severity or rule.severity, confidence or rule.confidence
    return Issue(rule, sev, conf, found, priority(sev, conf, locations))
