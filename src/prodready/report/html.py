"""One self-contained HTML page: the Markdown report's structure, inline CSS, no script.

Everything taken from the reviewed code (paths, messages, snippets, evidence) is escaped;
rules' texts go through the small safe converter of `markup`.
"""

from __future__ import annotations

from html import escape

from prodready.domain.result import ChecklistItem, Issue, ReviewResult, StackItem
from prodready.domain.taxonomy import Dimension, Severity
from prodready.report.counts import Counts, dimension_counts, total_counts
from prodready.report.html_style import STYLE
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
    status_slug,
    verdict_slug,
)
from prodready.report.layer_graph import layer_svg
from prodready.report.markup import inline_code_only, to_html
from prodready.report.options import RenderOptions
from prodready.report.project_summary import summary_lines


def _e(text: str) -> str:
    return escape(text, quote=True)


def _code(text: str) -> str:
    return f"<code>{_e(text)}</code>" if text else ""


def _link(url: str) -> str:
    """A link to `url` when it is http(s); otherwise the escaped text."""
    if url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return _e(url)


def _dimension_id(dimension: Dimension) -> str:
    return f"dimension-{dimension.number}"


def _banner(result: ReviewResult) -> list[str]:
    verdict = result.verdict
    reasons = "".join(f"<li>{inline_code_only(r)}</li>" for r in verdict.reasons)
    return [
        f'<section class="banner verdict-{verdict_slug(verdict.level)}" aria-label="Verdict">',
        f"<p>{_e(verdict.level.value)}</p>",
        f"<ul>{reasons}</ul>" if reasons else "",
        "</section>",
    ]


def _stack_item(item: StackItem) -> str:
    details = [_e(item.version)] if item.version else []
    details += [inline_code_only(item.evidence)] if item.evidence else []
    return _e(item.name) + (f" ({', '.join(details)})" if details else "")


def _scope(result: ReviewResult) -> list[str]:
    scope = result.scope
    stack = ", ".join(_stack_item(item) for item in scope.stack)
    rows = (
        ("Root", _code(scope.root)),
        ("Files reviewed", f"{scope.files:,}"),
        ("Lines", f"{scope.lines:,}"),
        ("Rules run", str(scope.rules_run)),
        ("Detected stack", stack or '<span class="muted">none detected</span>'),
        *((_e(label), _e(text)) for label, text in summary_lines(result.project)),
        ("Suppressed findings", str(result.suppressed)),
        ("Baselined findings", str(result.baselined)),
    )
    picture = layer_svg(result.project)
    lines = [
        '<section id="scope">',
        "<h2>What was reviewed</h2>",
        "<table>",
        *(f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' for name, value in rows),
        "</table>",
        *(
            ["<h3>Layers</h3>", f'<figure class="layers">{picture}</figure>']
            if picture is not None
            else []
        ),
        "<h3>Notes about the input</h3>",
    ]
    notes = sorted_notes(result)
    if not notes:
        lines.append("<p>None: every file found was read and parsed.</p>")
    else:
        lines.append("<ul>")
        for note in notes[:MAX_NOTES]:
            where = f"{_code(note.path)}: " if note.path else ""
            lines.append(
                f"<li>{where}{inline_code_only(note.message)} "
                f'<span class="muted">({_e(note.kind.value)})</span></li>'
            )
        if len(notes) > MAX_NOTES:
            lines.append(f"<li>… and {len(notes) - MAX_NOTES} more note(s)</li>")
        lines.append("</ul>")
    return [*lines, "</section>"]


def _count_cells(counts: Counts) -> str:
    cells = [*counts.findings, counts.total_issues]
    return "".join(f'<td class="num{" zero" if n == 0 else ""}">{n}</td>' for n in cells)


def _summary(result: ReviewResult) -> list[str]:
    rows = dimension_counts(result)
    total = total_counts(rows)
    header = "".join(f'<th class="num">{s.value.capitalize()}</th>' for s in Severity)
    lines = [
        '<section id="summary">',
        "<h2>Executive summary</h2>",
        f"<p><strong>Verdict: {_e(result.verdict.level.value)}</strong></p>",
        f"<p>{plural(total.total_issues, 'issue')} at "
        f"{plural(total.total_findings, 'location')}. Locations by severity:</p>",
        "<table>",
        f'<thead><tr><th>Dimension</th>{header}<th class="num">Issues</th></tr></thead>',
        "<tbody>",
    ]
    for row in rows:
        dim = row.dimension
        link = f'<a href="#{_dimension_id(dim)}">{dim.number}. {_e(dim.title)}</a>'
        lines.append(f"<tr><td>{link}</td>{_count_cells(row.counts)}</tr>")
    lines += [
        "</tbody>",
        f"<tfoot><tr><th>Total</th>{_count_cells(total)}</tr></tfoot>",
        "</table>",
        "</section>",
    ]
    return lines


def _locations(issue: Issue) -> list[str]:
    lines = [
        "<h4>Locations</h4>",
        "<table>",
        "<thead><tr><th>Location</th><th>Finding</th><th>Evidence</th></tr></thead>",
        "<tbody>",
    ]
    for finding in issue.findings[:MAX_LOCATIONS]:
        where = f"{finding.location.path}:{finding.location.line}"
        lines.append(
            f"<tr><td>{_code(where)}</td><td>{inline_code_only(finding.message)}</td>"
            f"<td>{_code(finding.snippet)}</td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    hidden = issue.findings[MAX_LOCATIONS:]
    if hidden:
        files = files_of(hidden)
        listed = ", ".join(f"{_code(path)} ({n})" for path, n in files[:MAX_HIDDEN_FILES])
        more = ", …" if len(files) > MAX_HIDDEN_FILES else ""
        lines.append(f"<p>… and {len(hidden)} more location(s) in {listed}{more}.</p>")
    return lines


def _issue(issue: Issue) -> list[str]:
    meta = issue.rule
    sev = issue.severity.value
    lines = [
        f'<article class="issue {sev}" id="{_e(meta.id)}">',
        f"<h3>{_e(meta.id)} {_e(meta.title)}"
        f'<span class="badge {sev}">{sev}</span>'
        f'<span class="badge confidence">{issue.confidence.value} confidence</span></h3>',
        f'<p class="muted">Rule {_code(meta.name)} · priority {issue.priority:g} · '
        f"{plural(len(issue.findings), 'location')}</p>",
    ]
    for label, text in rule_texts(meta):
        lines += [f"<h4>{_e(label)}</h4>", to_html(text)]
    if meta.libraries:
        links = ", ".join(f'<a href="{_e(pypi_url(lib))}">{_e(lib)}</a>' for lib in meta.libraries)
        lines += ["<h4>Recommended libraries</h4>", f"<p>{links}</p>"]
    if meta.references:
        items = "".join(f"<li>{_link(ref)}</li>" for ref in meta.references)
        lines += ["<h4>References</h4>", f"<ul>{items}</ul>"]
    return [*lines, *_locations(issue), "</article>"]


def _evidence(items: str) -> str:
    return f'<ul class="evidence">{items}</ul>' if items else ""


def _checklist_row(item: ChecklistItem) -> str:
    evidence = "".join(f"<li>{inline_code_only(e)}</li>" for e in item.evidence)
    return (
        f"<tr><td>{_e(item.practice.value)}</td>"
        f'<td class="status-{status_slug(item.status)}">{_e(item.status.value)}</td>'
        f"<td>{inline_code_only(item.reason)}</td>"
        f"<td>{f'<ul class=evidence>{evidence}</ul>' if evidence else ''}</td></tr>"
    )


def _checklist(result: ReviewResult) -> list[str]:
    lines = ["<h3>Production-grade practices checklist</h3>"]
    if not result.checklist:
        return [*lines, "<p>No practice was assessed.</p>"]
    if not_applicable(result.checklist):
        reason = inline_code_only(result.checklist[0].reason)
        return [*lines, f'<p class="status-not-applicable">Not applicable — {reason}.</p>']
    return [
        *lines,
        "<table>",
        "<thead><tr><th>Practice</th><th>Status</th><th>Why</th><th>Evidence</th></tr></thead>",
        "<tbody>",
        *(_checklist_row(item) for item in result.checklist),
        "</tbody>",
        "</table>",
    ]


def _dimension(result: ReviewResult, dimension: Dimension) -> list[str]:
    lines = [
        f'<section id="{_dimension_id(dimension)}">',
        f"<h2>{dimension.number}. {_e(dimension.title)}</h2>",
    ]
    if dimension is Dimension.PRACTICES:
        lines += _checklist(result)
    issues = result.issues_in(dimension)
    if not issues:
        none = "No findings." if dimension is not Dimension.PRACTICES else "No other findings."
        lines.append(f"<p>{none}</p>")
    for issue in issues:
        lines += _issue(issue)
    return [*lines, "</section>"]


def _final(result: ReviewResult) -> list[str]:
    verdict = result.verdict
    lines = [
        '<section id="final-verdict">',
        "<h2>Final verdict</h2>",
        f"<p><strong>{_e(verdict.level.value)}</strong></p>",
        "<p>Why:</p>",
        "<ul>",
        *(f"<li>{inline_code_only(reason)}</li>" for reason in verdict.reasons),
        "</ul>",
    ]
    if verdict.top_fixes:
        lines += [
            "<p>Highest-priority fixes, in this order:</p>",
            "<ol>",
            *(f"<li>{inline_code_only(fix)}</li>" for fix in verdict.top_fixes),
            "</ol>",
        ]
    else:
        lines.append("<p>No fix must come before launch.</p>")
    return [*lines, "</section>"]


def render_html(result: ReviewResult, options: RenderOptions) -> str:
    """The whole page; `options` change nothing (a written report is complete)."""
    body = [
        "<header>",
        f"<h1>{REPORT_TITLE}</h1>",
        f'<p class="muted">Generated by {TOOL_NAME} {_e(result.tool_version)}.</p>',
        "</header>",
        *_banner(result),
        *_scope(result),
        *_summary(result),
        *(line for dimension in Dimension for line in _dimension(result, dimension)),
        *_final(result),
    ]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{REPORT_TITLE}: {_e(result.verdict.level.value)} · {TOOL_NAME}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    tail = ["</main>", "</body>", "</html>"]
    return "\n".join(line for line in (*head, *body, *tail) if line) + "\n"
