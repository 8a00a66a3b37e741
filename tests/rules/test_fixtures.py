"""The one generic fixture test: what a rule reports equals what the fixture marks, both ways.

A fixture is `tests/fixtures/rules/<dimension>/<ID>_<what>.py` (or a folder so named, for
project rules). Lines marked `# expect: ID` (or `# expect+N: ID` for N lines below) must be
reported by that rule, and nothing else may be. `# todo-expect: ID` records a known miss: it
must *not* be reported yet (when it is, turn it into `expect`). A `..._ok.py` fixture has no
markers and must be silent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.engine.run import run_review
from prodready.rules.registry import discover
from tests.rules.fixture_markers import listed, marked_files, markers, rules_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"
CATALOGUE = discover()


def _fixtures() -> list[Path]:
    found = [p for p in sorted(FIXTURES.glob("*/*")) if p.suffix == ".py" or p.is_dir()]
    return [p for p in found if not p.name.startswith(("_", "."))]


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("fixture", _fixtures(), ids=_ids)
def test_fixture(fixture: Path) -> None:
    rule_ids = rules_of(fixture)
    for rule_id in rule_ids:
        assert CATALOGUE.find(rule_id) is not None, f"{fixture.name}: no rule {rule_id}"
    settings = Settings(select=rule_ids, respect_gitignore=False)
    raw = run_review([fixture], settings, CATALOGUE)
    assert not [n for n in raw.notes if n.kind.value == "rule-error"], raw.notes
    root = Path(raw.root)
    files = marked_files(fixture)
    expected: set[tuple[str, int, str]] = set(listed(fixture, root))
    todo: set[tuple[str, int, str]] = set()
    for file in files:
        found = markers(file, file.resolve().relative_to(root).as_posix())
        expected |= found.expected
        todo |= found.todo
    reported = {(f.location.path, f.location.line, f.rule_id) for f in raw.findings}
    if fixture.stem.endswith("_ok"):
        assert not expected, "an _ok fixture must not carry expect markers"
    assert not (todo & reported), f"todo-expect now reported, make it expect: {todo & reported}"
    missing = sorted(expected - reported)
    unexpected = sorted(reported - expected)
    assert not missing and not unexpected, f"missing={missing} unexpected={unexpected}"


def test_every_rule_has_positive_and_ok_fixtures() -> None:
    names = [p.name for p in _fixtures()]
    for meta in CATALOGUE.metas:
        if meta.id.startswith("QUAL9"):
            continue
        mine = [n for n in names if meta.id in rules_of(Path(n))]
        assert any("_ok" not in n for n in mine), f"{meta.id} has no positive fixture"
        assert any(Path(n).stem.endswith("_ok") for n in mine), f"{meta.id} has no _ok fixture"
