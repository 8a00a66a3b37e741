"""The judged review: issues, the practices checklist, the verdict, and what was reviewed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from prodready.domain.finding import Finding, Note
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity


@dataclass(frozen=True, slots=True)
class Issue:
    """All findings of one rule, with the severity and confidence they are judged at."""

    rule: RuleMeta
    severity: Severity
    confidence: Confidence
    findings: tuple[Finding, ...]
    priority: float

    @property
    def dimension(self) -> Dimension:
        return self.rule.dimension


class PracticeStatus(Enum):
    PRESENT = "present"
    MISSING = "missing"
    NOT_NEEDED = "not needed"
    NOT_APPLICABLE = "not applicable"
    NOT_ASSESSED = "not assessed yet"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    practice: Practice
    status: PracticeStatus
    reason: str
    evidence: tuple[str, ...] = ()


class VerdictLevel(Enum):
    READY = "Production-ready"
    READY_WITH_FIXES = "Production-ready with fixes"
    NOT_READY = "Not production-ready"

    @property
    def rank(self) -> int:
        """0 for the best verdict, 2 for the worst."""
        return list(VerdictLevel).index(self)


@dataclass(frozen=True, slots=True)
class Verdict:
    level: VerdictLevel
    reasons: tuple[str, ...]
    top_fixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StackItem:
    """A library or framework the project uses, with the evidence that shows it."""

    name: str
    version: str = ""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class ReviewScope:
    """What was reviewed."""

    root: str
    files: int
    lines: int
    stack: tuple[StackItem, ...] = ()
    rules_run: int = 0


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """Everything a renderer needs; renderers never analyse."""

    tool_version: str
    scope: ReviewScope
    issues: tuple[Issue, ...]
    checklist: tuple[ChecklistItem, ...]
    verdict: Verdict
    notes: tuple[Note, ...] = ()
    suppressed: int = 0
    baselined: int = 0
    catalogue: tuple[RuleMeta, ...] = field(default=())
    project: Mapping[str, object] = field(default_factory=dict)

    def issues_in(self, dimension: Dimension) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.dimension is dimension)
