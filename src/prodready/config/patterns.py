"""gitignore-style patterns (excludes, per-file-ignores, .gitignore files), compiled safely."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pathspec


def invalid_pattern(pattern: str) -> bool:
    """True when `pattern` is not a gitignore-style pattern (`!`, a trailing `\\`, `[z-a]`)."""
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern]).match_file("probe")
    except (ValueError, re.error):
        return True
    return False


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """The spec of the valid lines; invalid ones are skipped, as git skips them."""
    return pathspec.GitIgnoreSpec.from_lines([ln for ln in lines if not invalid_pattern(ln)])
