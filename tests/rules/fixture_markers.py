"""Reading `# expect: ID` markers out of fixture files.

Python files carry them as comments; so can `.env`, YAML, INI and TOML files (a `# expect+1:`
line above the entry). Files that cannot hold a comment (JSON) are listed in the fixture
folder's `expected.txt`, one `path:line:ID` per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from prodready.analysis.config_files import is_config_name

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


def marked_files(fixture: Path) -> list[Path]:
    """The files of a fixture that may carry markers: Python files and configuration files."""
    if not fixture.is_dir():
        return [fixture]
    found = [p for p in fixture.rglob("*") if p.is_file()]
    return sorted(p for p in found if p.suffix == ".py" or is_config_name(p.name))


def listed(fixture: Path, root: Path) -> frozenset[tuple[str, int, str]]:
    """`path:line:ID` lines of the fixture folder's `expected.txt` (paths relative to it)."""
    listing = fixture / "expected.txt" if fixture.is_dir() else None
    if listing is None or not listing.is_file():
        return frozenset()
    found: set[tuple[str, int, str]] = set()
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, number, rule_id = line.strip().rsplit(":", 2)
            relative = (fixture / path).resolve().relative_to(root).as_posix()
            found.add((relative, int(number), rule_id))
    return frozenset(found)
