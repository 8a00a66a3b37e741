"""Output formats by name and by file extension."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from prodready.domain.result import ReviewResult
from prodready.report.options import RenderOptions
from prodready.report.text import render_text

Renderer = Callable[[ReviewResult, RenderOptions], str]

RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {
        "text": render_text,
    }
)

EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        ".txt": "text",
    }
)


def format_for_path(path: Path) -> str | None:
    """The format an output file's extension implies (`report.sarif` -> sarif)."""
    name = path.name.lower()
    for extension, fmt in EXTENSIONS.items():
        if name.endswith(extension):
            return fmt
    return None
