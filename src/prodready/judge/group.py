"""Findings -> one issue per rule, at the severity and confidence they are judged at."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from prodready.domain.finding import Finding
from prodready.domain.result import Issue
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Severity


def priority(severity: Severity, confidence: Confidence, locations: int) -> float:
    """severity x confidence x reach; reach grows with the log of the locations."""
    reach = 1.0 + math.log2(max(locations, 1))
    return round(severity.weight * confidence.weight * reach, 2)


def _issue(meta: RuleMeta, findings: list[Finding], override: Severity | None) -> Issue:
    """The issue of one rule; each finding carries the severity and confidence it is judged at
    (its own, else the rule's; a configured severity override wins)."""
    severities = [f.severity or meta.severity for f in findings]
    severity = override or min(severities, key=lambda s: s.rank)
    confidence = min((f.confidence or meta.confidence for f in findings), key=lambda c: c.rank)
    resolved = (
        replace(
            f,
            severity=override or f.severity or meta.severity,
            confidence=f.confidence or meta.confidence,
        )
        for f in findings
    )
    ordered = tuple(sorted(resolved, key=lambda f: f.sort_key))
    return Issue(
        rule=meta,
        severity=severity,
        confidence=confidence,
        findings=ordered,
        priority=priority(severity, confidence, len(ordered)),
    )


def _specificity(meta: RuleMeta, key: str) -> int:
    """How precisely `key` names `meta`: ALL < an id prefix (longer is closer) < id or name."""
    key = key.strip()
    if key.upper() == meta.id.upper() or key == meta.name:
        return len(meta.id) + 1
    return 0 if key.upper() == "ALL" else len(key)


def _override(meta: RuleMeta, overrides: tuple[tuple[str, Severity], ...]) -> Severity | None:
    """The severity of the most specific override naming `meta` (as ruff resolves selectors)."""
    matching = [(_specificity(meta, key), sev) for key, sev in overrides if meta.matches(key)]
    return max(matching, key=lambda pair: pair[0])[1] if matching else None


def group_issues(
    findings: Iterable[Finding],
    catalogue: dict[str, RuleMeta],
    overrides: tuple[tuple[str, Severity], ...],
    min_severity: Severity,
) -> tuple[Issue, ...]:
    """Issues worst first: by priority, then dimension order, then rule id."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.rule_id].append(finding)
    issues: list[Issue] = []
    for rule_id, found in grouped.items():
        meta = catalogue.get(rule_id)
        if meta is None:
            continue
        override = _override(meta, overrides)
        issue = _issue(meta, found, override)
        if issue.severity.at_least(min_severity):
            issues.append(issue)
    issues.sort(key=lambda i: (-i.priority, i.severity.rank, i.dimension.number, i.rule.id))
    return tuple(issues)
