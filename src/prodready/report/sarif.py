"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run of prodready.

Rules carry their four texts as help; results point at paths relative to `%SRCROOT%`
(the review root) and carry a `partialFingerprints` entry without the line number, so
moving code does not reopen an alert.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePath
from types import MappingProxyType
from urllib.parse import quote

from prodready.domain.finding import Finding, Note, NoteKind
from prodready.domain.fingerprint import FINGERPRINT_KEY, fingerprints
from prodready.domain.result import Issue, ReviewResult
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.report.catalog import render_explanation
from prodready.report.labels import (
    INFORMATION_URI,
    TOOL_NAME,
    pypi_url,
    rule_texts,
    sorted_notes,
    verdict_slug,
)
from prodready.report.options import RenderOptions

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"

LEVELS: Mapping[Severity, str] = MappingProxyType(
    {
        Severity.BLOCKER: "error",
        Severity.CRITICAL: "error",
        Severity.MAJOR: "warning",
        Severity.MINOR: "note",
        Severity.INFO: "note",
    }
)
# GitHub's `problem.severity`: error, warning or recommendation.
PROBLEM_SEVERITIES: Mapping[Severity, str] = MappingProxyType(
    {
        Severity.BLOCKER: "error",
        Severity.CRITICAL: "error",
        Severity.MAJOR: "warning",
        Severity.MINOR: "recommendation",
        Severity.INFO: "recommendation",
    }
)
PRECISIONS: Mapping[Confidence, str] = MappingProxyType(
    {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}
)
# GitHub's `security-severity` (CVSS-like, 0.0-10.0), given to security rules only.
SECURITY_SEVERITIES: Mapping[Severity, str] = MappingProxyType(
    {
        Severity.BLOCKER: "9.5",
        Severity.CRITICAL: "8.0",
        Severity.MAJOR: "6.0",
        Severity.MINOR: "3.0",
        Severity.INFO: "1.0",
    }
)
NOTE_LEVELS: Mapping[NoteKind, str] = MappingProxyType(
    {
        NoteKind.UNREADABLE: "warning",
        NoteKind.UNDECODABLE: "warning",
        NoteKind.UNPARSABLE: "warning",
        NoteKind.TOO_DEEP: "warning",
        NoteKind.SKIPPED: "note",
        NoteKind.MISSING_PATH: "error",
        NoteKind.TOOL: "warning",
        NoteKind.RULE_ERROR: "error",
    }
)


def artifact_uri(path: str) -> str:
    """A finding's relative posix path as a relative URI reference."""
    return quote(path, safe="/")


def root_uri(root: str) -> str | None:
    """The review root as a `file://` URI ending in `/`; None when it is not absolute."""
    pure = PurePath(root)
    if not pure.is_absolute():
        return None
    uri = pure.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _help_text(meta: RuleMeta) -> str:
    parts = [f"{label}\n\n{text}" for label, text in rule_texts(meta)]
    if meta.libraries:
        libraries = ", ".join(f"{lib} ({pypi_url(lib)})" for lib in meta.libraries)
        parts.append(f"Recommended libraries: {libraries}")
    if meta.references:
        parts.append("References:\n" + "\n".join(meta.references))
    return "\n\n".join(parts) + "\n"


def _rule(issue: Issue) -> dict[str, object]:
    meta = issue.rule
    properties: dict[str, object] = {
        "tags": [meta.dimension.slug, issue.severity.value],
        "precision": PRECISIONS[issue.confidence],
        "problem.severity": PROBLEM_SEVERITIES[issue.severity],
    }
    if meta.dimension is Dimension.SECURITY:
        properties["security-severity"] = SECURITY_SEVERITIES[issue.severity]
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.what.strip()},
        "help": {"text": _help_text(meta), "markdown": render_explanation(meta)},
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": properties,
    }


def _artifact(path: str) -> dict[str, object]:
    return {"uri": artifact_uri(path), "uriBaseId": SRCROOT}


def _location(finding: Finding) -> dict[str, object]:
    loc = finding.location
    physical: dict[str, object] = {"artifactLocation": _artifact(loc.path)}
    if loc.line >= 1:
        region: dict[str, object] = {"startLine": loc.line, "startColumn": loc.column + 1}
        if loc.end_line is not None and loc.end_line >= loc.line:
            region["endLine"] = loc.end_line
            if loc.end_column is not None:
                region["endColumn"] = loc.end_column + 1
        if finding.snippet:
            region["snippet"] = {"text": finding.snippet}
        physical["region"] = region
    return {"physicalLocation": physical}


def _results(issue: Issue, index: int) -> list[dict[str, object]]:
    return [
        {
            "ruleId": issue.rule.id,
            "ruleIndex": index,
            "level": LEVELS[finding.severity or issue.severity],
            "message": {"text": finding.message},
            "locations": [_location(finding)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": {
                "severity": (finding.severity or issue.severity).value,
                "confidence": (finding.confidence or issue.confidence).value,
            },
        }
        for finding, fingerprint in zip(issue.findings, fingerprints(issue.findings), strict=True)
    ]


def _notification(note: Note) -> dict[str, object]:
    notification: dict[str, object] = {
        "level": NOTE_LEVELS[note.kind],
        "message": {"text": note.message},
        "descriptor": {"id": note.kind.value},
    }
    if note.path:
        notification["locations"] = [
            {"physicalLocation": {"artifactLocation": _artifact(note.path)}}
        ]
    return notification


def sarif_document(result: ReviewResult) -> dict[str, object]:
    """The SARIF log as plain JSON data."""
    first: dict[str, Issue] = {}
    for issue in result.issues:
        first.setdefault(issue.rule.id, issue)
    ruled = [first[rule_id] for rule_id in sorted(first)]
    index = {issue.rule.id: n for n, issue in enumerate(ruled)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": result.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(issue) for issue in ruled],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(n) for n in sorted_notes(result)],
            }
        ],
    }
    base = root_uri(result.scope.root)
    if base is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base}}
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = [
        entry for issue in result.issues for entry in _results(issue, index[issue.rule.id])
    ]
    verdict = result.verdict
    run["properties"] = {
        "verdict": {
            "level": verdict_slug(verdict.level),
            "label": verdict.level.value,
            "reasons": list(verdict.reasons),
            "topFixes": list(verdict.top_fixes),
        }
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(result: ReviewResult, options: RenderOptions) -> str:
    """The SARIF log; `options` change nothing."""
    return json.dumps(sarif_document(result), indent=2, ensure_ascii=False) + "\n"
