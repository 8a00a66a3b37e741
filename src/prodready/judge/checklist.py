"""The production-practices checklist of the specification's section 10."""

from __future__ import annotations

from prodready.analysis.project.model import PracticeAssessment
from prodready.domain.result import ChecklistItem, Issue, PracticeStatus
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Practice

_MAX_EVIDENCE = 5


def _missing(
    related: list[Issue], assessment: PracticeAssessment | None, practice: Practice
) -> ChecklistItem:
    evidence = tuple(
        f"{f.location.path}:{f.location.line} ({issue.rule.id}) {f.message}"
        for issue in related
        for f in issue.findings
    )
    rules = ", ".join(sorted({i.rule.id for i in related}))
    reason = f"{sum(len(i.findings) for i in related)} finding(s) of {rules} show it is needed"
    if assessment is not None and assessment.status is PracticeStatus.MISSING:
        reason += f"; {assessment.reason}"
        evidence += tuple(str(e) for e in assessment.evidence)
    return ChecklistItem(practice, PracticeStatus.MISSING, reason, evidence[:_MAX_EVIDENCE])


def checklist(
    issues: tuple[Issue, ...],
    selected: tuple[RuleMeta, ...],
    assessments: tuple[PracticeAssessment, ...] = (),
) -> tuple[ChecklistItem, ...]:
    """One item per practice.

    *missing* when a rule about that practice reported something (with its locations, and
    the assessment's when it says missing too); otherwise what the project model's
    assessment says (present, missing, not needed, not applicable, with its evidence); with
    no assessment, *not assessed yet*, naming the rules that looked and found nothing,
    because absence of findings is not evidence that the practice is present.
    """
    by_practice = {a.practice: a for a in assessments}
    items: list[ChecklistItem] = []
    for practice in Practice:
        related = [i for i in issues if practice in i.rule.practices]
        looked = [m.id for m in selected if practice in m.practices]
        assessment = by_practice.get(practice)
        if related:
            items.append(_missing(related, assessment, practice))
        elif assessment is not None:
            evidence = tuple(str(e) for e in assessment.evidence)[:_MAX_EVIDENCE]
            items.append(ChecklistItem(practice, assessment.status, assessment.reason, evidence))
        elif looked:
            reason = f"{', '.join(looked)} found nothing; presence itself is not assessed yet"
            items.append(ChecklistItem(practice, PracticeStatus.NOT_ASSESSED, reason))
        else:
            reason = "no rule assesses this practice yet"
            items.append(ChecklistItem(practice, PracticeStatus.NOT_ASSESSED, reason))
    return tuple(items)
