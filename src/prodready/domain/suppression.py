"""Inline suppression comments: `# prodready: ignore[ID-or-name] reason`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suppression:
    """One suppression comment. `codes` may hold ids or kebab-case names, as written."""

    path: str
    line: int
    codes: tuple[str, ...]
    reason: str
    file_level: bool
    text: str
