"""The Markdown report, in the specification's structure; readable on GitHub.

What was reviewed, the executive summary (verdict first, counts per dimension), the ten
dimensions in order with every issue's four parts and locations, the practices checklist
(inside dimension 10) and the final verdict with the fixes to make first.
"""

from __future__ import annotations

from prodready.domain.result import (
    ChecklistItem,
    Issue,
    PracticeStatus,
    ReviewResult,
    StackItem,
)
from prodready.domain.taxonomy import Dimension, Severity
from prodready.report.counts import Counts, dimension_counts, total_counts
from prodready.report.labels import (
    MAX_HIDDEN_FILES,
    MAX_LOCATIONS,
    MAX_NOTES,
    REPORT_TITLE,
    TOOL_NAME,
    files_of,
    not_applicable,
    plural,
    pypi_url,
    rule_texts,
    sorted_notes,
)
from prodready.report.mdtext import anchor, cell, code_span, escape_text, inline
from prodready.report.options import RenderOptions
from prodready.report.project_summary import summary_lines

_DONE = frozenset(
    {PracticeStatus.PRESENT, PracticeStatus.NOT_NEEDED, PracticeStatus.NOT_APPLICABLE}
)


def dimension_heading(dimension: Dimension) -> str:
    return f"{dimension.number}. {dimension.title}"


def _stack_item(item: StackItem) -> str:
    """`name (version, evidence)`, the parenthesis left out when both are empty."""
    details = [escape_text(item.version)] if item.version else []
    details += [inline(item.evidence)] if item.evidence else []
    return escape_text(item.name) + (f" ({', '.join(details)})" if details else "")


def _scope(result: ReviewResult) -> list[str]:
    scope = result.scope
    stack = ", ".join(_stack_item(item) for item in scope.stack) or "none detected"
    lines = [
        "## What was reviewed",
        "",
        f"- **Root:** {code_span(scope.root) or '(not given)'}",
        f"- **Files reviewed:** {scope.files:,}",
        f"- **Lines:** {scope.lines:,}",
        f"- **Rules run:** {scope.rules_run}",
        f"- **Detected stack:** {stack}",
        *(f"- **{label}:** {inline(text)}" for label, text in summary_lines(result.project)),
        f"- **Suppressed findings:** {result.suppressed} · "
        f"**Baselined findings:** {result.baselined}",
        "",
        "### Notes about the input",
        "",
    ]
    notes = sorted_notes(result)
    if not notes:
        return [*lines, "None: every file found was read and parsed."]
    for note in notes[:MAX_NOTES]:
        where = f"{code_span(note.path)}: " if note.path else ""
        lines.append(f"- {where}{inline(note.message)} ({note.kind.value})")
    if len(notes) > MAX_NOTES:
        lines.append(f"- … and {len(notes) - MAX_NOTES} more note(s)")
    return lines


def _count_cells(counts: Counts) -> str:
    return " | ".join(str(n) for n in counts.findings) + f" | {counts.total_issues}"


def _summary(result: ReviewResult) -> list[str]:
    verdict = result.verdict
    rows = dimension_counts(result)
    total = total_counts(rows)
    lines = [
        "## Executive summary",
        "",
        f"**Verdict: {verdict.level.value}**",
        "",
        *(f"- {inline(reason)}" for reason in verdict.reasons),
        "",
        f"{plural(total.total_issues, 'issue')} at "
        f"{plural(total.total_findings, 'location')}. Locations by severity:",
        "",
        "| Dimension | " + " | ".join(s.value.capitalize() for s in Severity) + " | Issues |",
        "|---|" + "---:|" * (len(Severity) + 1),
    ]
    for row in rows:
        heading = dimension_heading(row.dimension)
        link = f"[{escape_text(heading)}](#{anchor(heading)})"
        lines.append(f"| {link} | {_count_cells(row.counts)} |")
    lines.append(f"| **Total** | {_count_cells(total)} |")
    return lines


def _location_rows(issue: Issue) -> list[str]:
    rows = ["| Location | Finding | Evidence |", "|---|---|---|"]
    for finding in issue.findings[:MAX_LOCATIONS]:
        where = code_span(f"{finding.location.path}:{finding.location.line}")
        rows.append(
            f"| {cell(where)} | {cell(inline(finding.message))} "
            f"| {cell(code_span(finding.snippet))} |"
        )
    hidden = issue.findings[MAX_LOCATIONS:]
    if hidden:
        files = files_of(hidden)
        listed = ", ".join(f"{code_span(path)} ({n})" for path, n in files[:MAX_HIDDEN_FILES])
        more = ", …" if len(files) > MAX_HIDDEN_FILES else ""
        rows += ["", f"… and {len(hidden)} more location(s) in {listed}{more}."]
    return rows


def _issue(issue: Issue) -> list[str]:
    meta = issue.rule
    lines = [
        f"### {meta.id} {escape_text(meta.title)} "
        f"({issue.severity.value}, {issue.confidence.value} confidence)",
        "",
        f"**Rule:** {code_span(meta.name)} · **Severity:** {issue.severity.value} · "
        f"**Confidence:** {issue.confidence.value} · **Priority:** {issue.priority:g} · "
        f"**Locations:** {len(issue.findings)}",
    ]
    for label, text in rule_texts(meta):
        lines += ["", f"**{label}**", "", text]
    if meta.libraries:
        links = ", ".join(f"[{escape_text(lib)}]({pypi_url(lib)})" for lib in meta.libraries)
        lines += ["", f"**Recommended libraries:** {links}"]
    if meta.references:
        lines += ["", "**References:** " + ", ".join(f"<{ref}>" for ref in meta.references)]
    lines += ["", "**Locations**", "", *_location_rows(issue)]
    return lines


def _checklist_item(item: ChecklistItem) -> list[str]:
    box = "x" if item.status in _DONE else " "
    lines = [
        f"- [{box}] **{escape_text(item.practice.value)}**: {item.status.value} — "
        f"{inline(item.reason)}"
    ]
    lines += [f"  - {inline(evidence)}" for evidence in item.evidence]
    return lines


def _checklist(result: ReviewResult) -> list[str]:
    lines = ["### Production-grade practices checklist", ""]
    if not result.checklist:
        return [*lines, "No practice was assessed."]
    if not_applicable(result.checklist):
        return [*lines, f"Not applicable — {inline(result.checklist[0].reason)}."]
    for item in result.checklist:
        lines += _checklist_item(item)
    return lines


def _dimension(result: ReviewResult, dimension: Dimension) -> list[str]:
    lines = [f"## {dimension_heading(dimension)}", ""]
    if dimension is Dimension.PRACTICES:
        lines += [*_checklist(result), ""]
    issues = result.issues_in(dimension)
    if not issues:
        none = "No findings." if dimension is not Dimension.PRACTICES else "No other findings."
        return [*lines, none]
    for issue in issues:
        lines += [*_issue(issue), ""]
    return lines[:-1]


def _final(result: ReviewResult) -> list[str]:
    verdict = result.verdict
    lines = [
        "## Final verdict",
        "",
        f"**{verdict.level.value}**",
        "",
        "Why:",
        "",
        *(f"- {inline(reason)}" for reason in verdict.reasons),
        "",
    ]
    if not verdict.top_fixes:
        return [*lines, "No fix must come before launch."]
    lines += ["Highest-priority fixes, in this order:", ""]
    lines += [f"{n}. {inline(fix)}" for n, fix in enumerate(verdict.top_fixes, 1)]
    return lines


def render_markdown(result: ReviewResult, options: RenderOptions) -> str:
    sections = [
        [f"# {REPORT_TITLE}", "", f"Generated by {TOOL_NAME} {escape_text(result.tool_version)}."],
        _scope(result),
        _summary(result),
        *(_dimension(result, dimension) for dimension in Dimension),
        _final(result),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
