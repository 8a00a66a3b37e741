"""Counts of issues and locations per dimension and severity, for every summary table."""

from __future__ import annotations

from dataclasses import dataclass

from prodready.domain.result import ReviewResult
from prodready.domain.taxonomy import Dimension, Severity


@dataclass(frozen=True, slots=True)
class Counts:
    """Issues and locations (findings) by severity, each tuple in `Severity` order."""

    issues: tuple[int, ...]
    findings: tuple[int, ...]

    @property
    def total_issues(self) -> int:
        return sum(self.issues)

    @property
    def total_findings(self) -> int:
        return sum(self.findings)


@dataclass(frozen=True, slots=True)
class DimensionCounts:
    dimension: Dimension
    counts: Counts


def dimension_counts(result: ReviewResult) -> tuple[DimensionCounts, ...]:
    """One row per dimension, in the specification's order, zeros included."""
    rows: list[DimensionCounts] = []
    for dimension in Dimension:
        issues = result.issues_in(dimension)
        rows.append(
            DimensionCounts(
                dimension,
                Counts(
                    issues=tuple(sum(1 for i in issues if i.severity is s) for s in Severity),
                    findings=tuple(
                        sum(len(i.findings) for i in issues if i.severity is s) for s in Severity
                    ),
                ),
            )
        )
    return tuple(rows)


def total_counts(rows: tuple[DimensionCounts, ...]) -> Counts:
    columns = range(len(Severity))
    return Counts(
        issues=tuple(sum(r.counts.issues[k] for r in rows) for k in columns),
        findings=tuple(sum(r.counts.findings[k] for r in rows) for k in columns),
    )
