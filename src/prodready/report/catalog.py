"""The single formatter of rules' texts: `prodready explain`, `prodready rules`, the docs."""

from __future__ import annotations

import json

from prodready.domain.rule import RuleMeta
from prodready.report.labels import pypi_url, rule_texts


def render_explanation(meta: RuleMeta) -> str:
    """The full Markdown page of one rule."""
    parts = [
        f"# {meta.id} {meta.name}: {meta.title}",
        "",
        f"Dimension: {meta.dimension.number}. {meta.dimension.title}  ",
        f"Severity: {meta.severity.value} · Confidence: {meta.confidence.value}"
        + (
            f" · Presents ruff: {', '.join(f'`{c}`' for c in meta.upstream)}"
            if meta.upstream
            else ""
        ),
    ]
    for label, text in rule_texts(meta):
        parts += ["", f"## {label}", "", text]
    if meta.libraries:
        parts += ["", "## Recommended libraries", ""]
        parts += [f"- [{lib}]({pypi_url(lib)})" for lib in meta.libraries]
    if meta.references:
        parts += ["", "## References", ""]
        parts += [f"- <{ref}>" for ref in meta.references]
    return "\n".join(parts) + "\n"


def _as_dict(meta: RuleMeta) -> dict[str, object]:
    return {
        "id": meta.id,
        "name": meta.name,
        "title": meta.title,
        "dimension": meta.dimension.title,
        "severity": meta.severity.value,
        "confidence": meta.confidence.value,
        "upstream": list(meta.upstream),
        "libraries": list(meta.libraries),
    }


def render_catalogue(metas: tuple[RuleMeta, ...], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps([_as_dict(m) for m in metas], indent=2) + "\n"
    if fmt == "markdown":
        rows = [
            "| id | name | dimension | severity | confidence | title |",
            "|---|---|---|---|---|---|",
        ]
        rows += [
            f"| {m.id} | {m.name} | {m.dimension.title} | {m.severity.value} | "
            f"{m.confidence.value} | {m.title} |"
            for m in metas
        ]
        return "\n".join(rows) + "\n"
    width = max((len(m.name) for m in metas), default=10)
    lines = [
        f"{m.id:<8} {m.name:<{width}} {m.severity.value:<8} {m.confidence.value:<6} {m.title}"
        for m in metas
    ]
    return "\n".join(lines) + "\n"
