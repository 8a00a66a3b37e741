"""Reading `# expect: ID` markers out of fixture files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_MARKER = re.compile(
    r"#\s*(?P<kind>expect|todo-expect)(?:\+(?P<offset>\d+))?:\s*(?P<ids>[A-Z]+\d{3}(?:\s*,\s*[A-Z]+\d{3})*)"
)
_ID_IN_NAME = re.compile(r"^(?P<ids>(?:[A-Z]+\d{3}_)+)")


@dataclass(frozen=True)
class Expectations:
    expected: frozenset[tuple[str, int, str]]
    todo: frozenset[tuple[str, int, str]]


def rules_of(path: Path) -> tuple[str, ...]:
    """`RES001_RES002_name.py` (or a folder so named) -> ("RES001", "RES002")."""
    match = _ID_IN_NAME.match(path.name)
    if match is None:
        raise AssertionError(f"{path}: fixture name must start with the rule id, e.g. RES001_x.py")
    return tuple(part for part in match["ids"].split("_") if part)


def markers(path: Path, relative: str) -> Expectations:
    expected: set[tuple[str, int, str]] = set()
    todo: set[tuple[str, int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in _MARKER.finditer(line):
            target = number + int(match["offset"] or 0)
            for rule_id in match["ids"].split(","):
                item = (relative, target, rule_id.strip())
                (todo if match["kind"] == "todo-expect" else expected).add(item)
    return Expectations(frozenset(expected), frozenset(todo))
