"""Every format is registered by name and by output file extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready.cli.formats import EXTENSIONS, RENDERERS, format_for_path


def test_all_formats_are_registered() -> None:
    assert set(RENDERERS) == {"text", "markdown", "json", "sarif", "html", "svg"}
    assert set(EXTENSIONS.values()) == set(RENDERERS)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("report.md", "markdown"),
        ("REPORT.MD", "markdown"),
        ("report.json", "json"),
        ("report.sarif", "sarif"),
        ("report.sarif.json", "sarif"),
        ("out/report.html", "html"),
        ("report.txt", "text"),
        ("report.pdf", None),
    ],
)
def test_format_from_the_extension(name: str, fmt: str | None) -> None:
    assert format_for_path(Path(name)) == fmt
