"""The production-practices checklist of the specification's section 10."""

from __future__ import annotations

from prodready.domain.result import ChecklistItem, Issue, PracticeStatus
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Practice

_MAX_EVIDENCE = 5


def checklist(
    issues: tuple[Issue, ...], selected: tuple[RuleMeta, ...]
) -> tuple[ChecklistItem, ...]:
    """One item per practice.

    *missing* when a rule about that practice reported something (with its locations);
    otherwise *not assessed yet*, naming the rules that looked and found nothing, because
    absence of findings is not evidence that the practice is present.
    """
    items: list[ChecklistItem] = []
    for practice in Practice:
        related = [i for i in issues if practice in i.rule.practices]
        looked = [m.id for m in selected if practice in m.practices]
        if related:
            evidence = tuple(
                f"{f.location.path}:{f.location.line} ({issue.rule.id}) {f.message}"
                for issue in related
                for f in issue.findings
            )[:_MAX_EVIDENCE]
            rules = ", ".join(sorted({i.rule.id for i in related}))
            reason = (
                f"{sum(len(i.findings) for i in related)} finding(s) of {rules} show it is needed"
            )
            items.append(ChecklistItem(practice, PracticeStatus.MISSING, reason, evidence))
        elif looked:
            reason = f"{', '.join(looked)} found nothing; presence itself is not assessed yet"
            items.append(ChecklistItem(practice, PracticeStatus.NOT_ASSESSED, reason))
        else:
            reason = "no rule assesses this practice yet"
            items.append(ChecklistItem(practice, PracticeStatus.NOT_ASSESSED, reason))
    return tuple(items)
