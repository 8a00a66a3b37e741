"""The terminal report: counts per dimension by severity, each issue's locations, the verdict."""

from __future__ import annotations

from prodready.domain.result import ReviewResult, VerdictLevel
from prodready.domain.taxonomy import Dimension, Severity
from prodready.report.labels import not_applicable, sorted_notes
from prodready.report.options import RenderOptions

_COLORS = {
    Severity.BLOCKER: "\033[1;31m",
    Severity.CRITICAL: "\033[31m",
    Severity.MAJOR: "\033[33m",
    Severity.MINOR: "\033[36m",
    Severity.INFO: "\033[2m",
}
_VERDICT_COLORS = {
    VerdictLevel.READY: "\033[1;32m",
    VerdictLevel.READY_WITH_FIXES: "\033[1;33m",
    VerdictLevel.NOT_READY: "\033[1;31m",
}
_RESET = "\033[0m"
_MAX_LOCATIONS = 10


def _paint(text: str, code: str, options: RenderOptions) -> str:
    return f"{code}{text}{_RESET}" if options.color else text


def _counts_line(result: ReviewResult, dimension: Dimension) -> str:
    issues = result.issues_in(dimension)
    counts = [
        f"{sum(len(i.findings) for i in issues if i.severity is s)} {s.value}"
        for s in Severity
        if any(i.severity is s for i in issues)
    ]
    summary = ", ".join(counts) if counts else "no findings"
    return f"  {dimension.number:>2}. {dimension.title:<44} {summary}"


def _checklist_lines(result: ReviewResult) -> list[str]:
    """The section 10 checklist in one line per practice (one line when none applies)."""
    if not result.checklist:
        return []
    if not_applicable(result.checklist):
        return ["", f"Production-grade practices: not applicable — {result.checklist[0].reason}"]
    lines = ["", "Production-grade practices:"]
    width = max(len(item.status.value) for item in result.checklist)
    lines += [f"  {item.status.value:<{width}}  {item.practice.value}" for item in result.checklist]
    return lines


def render_text(result: ReviewResult, options: RenderOptions) -> str:
    lines: list[str] = []
    scope = result.scope
    lines.append(
        f"prodready {result.tool_version}: reviewed {scope.files} files, {scope.lines} lines, "
        f"{scope.rules_run} rules"
    )
    if not options.quiet:
        for issue in result.issues:
            sev = _paint(issue.severity.value, _COLORS[issue.severity], options)
            lines.append("")
            lines.append(
                f"{issue.rule.id} [{sev}, {issue.confidence.value} confidence] "
                f"{issue.rule.title} ({issue.rule.name})"
            )
            for finding in issue.findings[:_MAX_LOCATIONS]:
                lines.append(f"  {finding.location}: {finding.message}")
            hidden = len(issue.findings) - _MAX_LOCATIONS
            if hidden > 0:
                lines.append(f"  ... and {hidden} more location(s)")
        if result.notes:
            lines.append("")
            lines.append("Notes:")
            lines.extend(f"  {note}" for note in sorted_notes(result))
    lines.append("")
    lines.append("Findings by dimension:")
    lines.extend(_counts_line(result, dimension) for dimension in Dimension)
    set_aside = [
        f"{count} {label}"
        for count, label in ((result.suppressed, "suppressed"), (result.baselined, "baselined"))
        if count
    ]
    if set_aside:
        lines.append(f"  ({', '.join(set_aside)})")
    lines.extend(_checklist_lines(result))
    verdict = result.verdict
    lines.append("")
    lines.append("Verdict: " + _paint(verdict.level.value, _VERDICT_COLORS[verdict.level], options))
    lines.extend(f"  - {reason}" for reason in verdict.reasons)
    if verdict.top_fixes:
        lines.append("Fix first:")
        lines.extend(f"  {n}. {fix}" for n, fix in enumerate(verdict.top_fixes, 1))
    return "\n".join(lines) + "\n"
