"""A reviewed file's identity and text, and the file once parsed."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from prodready.analysis.semantic import SemanticModel

_SNIPPET_MAX = 200


@dataclass(frozen=True, slots=True)
class SourceText:
    """One reviewed file's identity and text."""

    path: str
    module: str
    is_package: bool
    lines: tuple[str, ...]

    def column(self, number: int, byte_offset: int | None) -> int | None:
        """The code-point column of a UTF-8 byte offset on line `number` (ast counts bytes)."""
        if byte_offset is None or not 1 <= number <= len(self.lines):
            return byte_offset
        text = self.lines[number - 1]
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

    def line(self, number: int) -> str:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].strip()[:_SNIPPET_MAX]
        return ""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A file that parsed, as project rules see it."""

    source: SourceText
    tree: ast.Module
    semantic: SemanticModel
