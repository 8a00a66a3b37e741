"""The verdict: the one place its thresholds are applied (documented in the README).

1. Any blocker at `blockers_need_confidence` (medium) or higher -> Not production-ready.
2. Else any critical, a less confident blocker, or at least `majors_for_fixes` major
   issues -> Production-ready with fixes.
3. Else -> Production-ready (minor and info issues are worth fixing, never blocking).
"""

from __future__ import annotations

from prodready.config.settings import FailOn, VerdictThresholds
from prodready.domain.result import Issue, Verdict, VerdictLevel
from prodready.domain.taxonomy import Severity

TOP_FIXES = 7


def _describe(issue: Issue) -> str:
    count = len(issue.findings)
    where = issue.findings[0].location
    more = f" and {count - 1} more" if count > 1 else ""
    return (
        f"[{issue.severity.value}] {issue.rule.id} {issue.rule.title} — "
        f"{where.path}:{where.line}{more}"
    )


def _coverage(files: int | None, unreviewed: int) -> list[str]:
    """What the verdict does not cover: it is only as good as the code that was read."""
    if files is not None and files <= unreviewed:
        return ["no Python file could be reviewed: nothing supports this verdict"]
    if unreviewed:
        return [
            f"{unreviewed} file(s) could not be read or parsed; the verdict does not cover them"
        ]
    return []


def decide(
    issues: tuple[Issue, ...],
    thresholds: VerdictThresholds,
    *,
    files: int | None = None,
    unreviewed: int = 0,
) -> Verdict:
    """The verdict on `issues`; `files` read of which `unreviewed` could not be parsed."""
    blockers = [i for i in issues if i.severity is Severity.BLOCKER]
    needed = thresholds.blockers_need_confidence.rank
    sure_blockers = [b for b in blockers if b.confidence.rank <= needed]
    criticals = [i for i in issues if i.severity is Severity.CRITICAL]
    majors = [i for i in issues if i.severity is Severity.MAJOR]
    reasons: list[str] = []
    if sure_blockers:
        level = VerdictLevel.NOT_READY
        reasons.append(
            f"{len(sure_blockers)} blocker issue(s): money or data loss, a security breach or a "
            "total outage is plausible"
        )
    elif criticals or blockers or len(majors) >= thresholds.majors_for_fixes:
        level = VerdictLevel.READY_WITH_FIXES
        if blockers:
            reasons.append(f"{len(blockers)} low-confidence blocker issue(s) to confirm")
        if criticals:
            reasons.append(f"{len(criticals)} critical issue(s) to fix before launch")
        if len(majors) >= thresholds.majors_for_fixes:
            reasons.append(
                f"{len(majors)} major issue(s) (threshold {thresholds.majors_for_fixes})"
            )
    else:
        level = VerdictLevel.READY
        reasons.append(
            "no blocker or critical issue"
            + (f"; {len(majors)} major issue(s), below the threshold" if majors else "")
        )
    reasons.extend(_coverage(files, unreviewed))
    fixes = tuple(_describe(i) for i in issues if i.severity.at_least(Severity.MAJOR))[:TOP_FIXES]
    return Verdict(level=level, reasons=tuple(reasons), top_fixes=fixes)


def fails(verdict: Verdict, issues: tuple[Issue, ...], fail_on: FailOn) -> bool:
    """True when the review should exit 1 under `fail_on`."""
    if fail_on is FailOn.NEVER:
        return False
    if fail_on is FailOn.NOT_READY:
        return verdict.level is VerdictLevel.NOT_READY
    if fail_on is FailOn.WITH_FIXES:
        return verdict.level is not VerdictLevel.READY
    threshold = fail_on.severity
    return threshold is not None and any(i.severity.at_least(threshold) for i in issues)
