"""The JSON report, described by `schema/report.schema.json` (schema_version 1.0).

Columns are 1-based (Python's ast offset + 1) and `end_column` is the column just after
the last character, as in SARIF. Every finding carries the stable fingerprint SARIF uses.
"""

from __future__ import annotations

import json

from prodready.domain.finding import Finding, Note
from prodready.domain.fingerprint import fingerprints
from prodready.domain.result import ChecklistItem, Issue, ReviewResult
from prodready.domain.taxonomy import Severity
from prodready.report.counts import Counts, dimension_counts, total_counts
from prodready.report.labels import (
    INFORMATION_URI,
    TOOL_NAME,
    sorted_notes,
    status_slug,
    verdict_slug,
)
from prodready.report.options import RenderOptions

SCHEMA_VERSION = "1.0"


def _by_severity(counts: Counts) -> dict[str, object]:
    return {
        severity.value: {"issues": issues, "findings": findings}
        for severity, issues, findings in zip(Severity, counts.issues, counts.findings, strict=True)
    }


def _counts(result: ReviewResult) -> dict[str, object]:
    rows = dimension_counts(result)
    total = total_counts(rows)
    return {
        "issues": total.total_issues,
        "findings": total.total_findings,
        "suppressed": result.suppressed,
        "baselined": result.baselined,
        "by_severity": _by_severity(total),
        "by_dimension": [
            {
                "dimension": row.dimension.slug,
                "number": row.dimension.number,
                "title": row.dimension.title,
                "issues": row.counts.total_issues,
                "findings": row.counts.total_findings,
                "by_severity": _by_severity(row.counts),
            }
            for row in rows
        ],
    }


def _finding(finding: Finding, fingerprint: str, issue: Issue) -> dict[str, object]:
    loc = finding.location
    severity = finding.severity or issue.severity
    confidence = finding.confidence or issue.confidence
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column + 1,
        "end_line": loc.end_line,
        "end_column": None if loc.end_column is None else loc.end_column + 1,
        "message": finding.message,
        "snippet": finding.snippet,
        "severity": severity.value,
        "confidence": confidence.value,
        "fingerprint": fingerprint,
    }


def _issue(issue: Issue) -> dict[str, object]:
    meta = issue.rule
    prints = fingerprints(issue.findings)
    return {
        "rule_id": meta.id,
        "rule_name": meta.name,
        "title": meta.title,
        "dimension": meta.dimension.slug,
        "severity": issue.severity.value,
        "confidence": issue.confidence.value,
        "priority": issue.priority,
        "texts": {
            "what": meta.what.strip(),
            "why": meta.why.strip(),
            "fix": meta.fix.strip(),
            "migration": meta.migration.strip(),
        },
        "libraries": list(meta.libraries),
        "references": list(meta.references),
        "practices": [practice.slug for practice in meta.practices],
        "upstream": list(meta.upstream),
        "findings": [_finding(f, p, issue) for f, p in zip(issue.findings, prints, strict=True)],
    }


def _checklist_item(item: ChecklistItem) -> dict[str, object]:
    return {
        "practice": item.practice.slug,
        "title": item.practice.value,
        "status": status_slug(item.status),
        "reason": item.reason,
        "evidence": list(item.evidence),
    }


def _note(note: Note) -> dict[str, object]:
    return {"path": note.path, "kind": note.kind.value, "message": note.message}


def report_document(result: ReviewResult) -> dict[str, object]:
    """The report as plain JSON data (dicts built in a fixed key order)."""
    scope = result.scope
    verdict = result.verdict
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": TOOL_NAME,
            "version": result.tool_version,
            "information_uri": INFORMATION_URI,
        },
        "scope": {
            "root": scope.root,
            "files": scope.files,
            "lines": scope.lines,
            "rules_run": scope.rules_run,
            "stack": [
                {"name": s.name, "version": s.version, "evidence": s.evidence} for s in scope.stack
            ],
        },
        "verdict": {
            "level": verdict_slug(verdict.level),
            "label": verdict.level.value,
            "reasons": list(verdict.reasons),
            "top_fixes": list(verdict.top_fixes),
        },
        "counts": _counts(result),
        "issues": [_issue(issue) for issue in result.issues],
        "checklist": [_checklist_item(item) for item in result.checklist],
        "notes": [_note(note) for note in sorted_notes(result)],
        "project": dict(result.project),
    }


def render_json(result: ReviewResult, options: RenderOptions) -> str:
    """The whole report; `options` change nothing (a machine-readable report is complete)."""
    return json.dumps(report_document(result), indent=2, ensure_ascii=False) + "\n"
