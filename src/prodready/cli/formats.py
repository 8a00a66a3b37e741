"""Output formats by name and by file extension."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from prodready.domain.result import ReviewResult
from prodready.report.html import render_html
from prodready.report.json_report import render_json
from prodready.report.layer_graph import render_layer_svg
from prodready.report.markdown import render_markdown
from prodready.report.options import RenderOptions
from prodready.report.sarif import render_sarif
from prodready.report.text import render_text

Renderer = Callable[[ReviewResult, RenderOptions], str]

RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
        "sarif": render_sarif,
        "html": render_html,
        "svg": render_layer_svg,
    }
)

# Longest extensions first: `report.sarif.json` is SARIF, not plain JSON.
EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        ".sarif.json": "sarif",
        ".sarif": "sarif",
        ".json": "json",
        ".md": "markdown",
        ".markdown": "markdown",
        ".html": "html",
        ".htm": "html",
        ".txt": "text",
        ".svg": "svg",
    }
)


def format_for_path(path: Path) -> str | None:
    """The format an output file's extension implies (`report.sarif` -> sarif)."""
    name = path.name.lower()
    for extension, fmt in sorted(EXTENSIONS.items(), key=lambda item: -len(item[0])):
        if name.endswith(extension):
            return fmt
    return None
