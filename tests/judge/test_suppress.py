"""Inline suppressions and per-file ignores, and the hygiene findings about suppressions."""

from __future__ import annotations

from pathlib import Path

from prodready.config.settings import Settings
from prodready.domain.finding import Finding, Location
from prodready.domain.suppression import Suppression
from prodready.engine.run import run_review
from prodready.judge.judge import judge
from prodready.judge.suppress import Suppressed, apply_suppressions
from prodready.rules.registry import discover

CATALOGUE = discover()
METAS = CATALOGUE.metas
HYGIENE = frozenset({"QUAL901", "QUAL902", "QUAL903"})
SELECTED = frozenset({"RES001"}) | HYGIENE


def _finding(path: str = "a.py", line: int = 5, rule: str = "RES001") -> Finding:
    return Finding(rule, Location(path, line), "no timeout")


def _suppression(
    codes: tuple[str, ...] = ("RES001",),
    line: int = 5,
    reason: str = "checked by hand",
    file_level: bool = False,
    path: str = "a.py",
) -> Suppression:
    return Suppression(path, line, codes, reason, file_level, "# prodready: ...")


def _apply(
    findings: list[Finding],
    suppressions: list[Suppression],
    selected: frozenset[str] = SELECTED,
    per_file: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> Suppressed:
    return apply_suppressions(findings, suppressions, METAS, selected, per_file)


def _hygiene(outcome: Suppressed) -> list[tuple[str, int, str]]:
    return [(h.rule_id, h.location.line, h.message) for h in outcome.hygiene]


def test_suppression_on_the_reported_line_suppresses() -> None:
    outcome = _apply([_finding()], [_suppression()])
    assert outcome.kept == () and outcome.suppressed == 1
    assert outcome.hygiene == ()


def test_suppression_by_name_case_insensitive_id() -> None:
    for code in ("aiohttp-session-without-timeout", "res001"):
        outcome = _apply([_finding()], [_suppression((code,))])
        assert outcome.kept == () and outcome.hygiene == (), code


def test_suppression_on_another_line_does_not_suppress() -> None:
    outcome = _apply([_finding(line=5)], [_suppression(line=6)])
    assert len(outcome.kept) == 1
    assert [rule for rule, _, _ in _hygiene(outcome)] == ["QUAL901"]


def test_suppression_in_another_file_does_not_suppress() -> None:
    outcome = _apply([_finding(path="a.py")], [_suppression(path="b.py")])
    assert len(outcome.kept) == 1


def test_suppression_of_another_rule_does_not_suppress() -> None:
    outcome = _apply([_finding()], [_suppression(("QUAL901",))])
    assert len(outcome.kept) == 1


def test_file_level_suppression_covers_the_whole_file() -> None:
    findings = [_finding(line=5), _finding(line=50), _finding(path="b.py")]
    outcome = _apply(findings, [_suppression(line=1, file_level=True)])
    assert [f.location.path for f in outcome.kept] == ["b.py"]
    assert outcome.suppressed == 2
    assert outcome.hygiene == ()


def test_suppression_without_reason_still_suppresses_and_is_reported() -> None:
    outcome = _apply([_finding()], [_suppression(reason="")])
    assert outcome.kept == ()
    assert _hygiene(outcome) == [("QUAL902", 5, "suppression gives no reason")]


def test_unknown_rule_is_reported() -> None:
    outcome = _apply([], [_suppression(("RES999",))])
    assert _hygiene(outcome) == [("QUAL903", 5, "no rule is named `RES999`")]


def test_suppression_naming_no_rule_is_reported() -> None:
    outcome = _apply([_finding()], [_suppression(())])
    assert len(outcome.kept) == 1
    assert [rule for rule, _, _ in _hygiene(outcome)] == ["QUAL903"]


def test_unused_suppression_is_reported_when_its_rule_ran() -> None:
    outcome = _apply([], [_suppression()])
    assert _hygiene(outcome) == [("QUAL901", 5, "`RES001` suppresses nothing here")]


def test_unused_file_suppression_is_reported() -> None:
    outcome = _apply([], [_suppression(line=1, file_level=True)])
    assert [rule for rule, _, _ in _hygiene(outcome)] == ["QUAL901"]


def test_not_unused_when_its_rule_was_not_selected() -> None:
    outcome = _apply([], [_suppression()], selected=HYGIENE)
    assert outcome.hygiene == ()


def test_only_the_unused_code_of_a_suppression_is_reported() -> None:
    outcome = _apply([_finding()], [_suppression(("RES001", "QUAL902"))])
    assert outcome.kept == ()
    assert _hygiene(outcome) == [("QUAL901", 5, "`QUAL902` suppresses nothing here")]


def test_hygiene_findings_need_their_rule_selected() -> None:
    outcome = _apply([], [_suppression(("NOPE",), reason="")], selected=frozenset({"RES001"}))
    assert outcome.hygiene == ()


def test_per_file_ignores() -> None:
    findings = [_finding(path="tests/test_api.py"), _finding(path="app/api.py")]
    outcome = _apply(findings, [], per_file=(("tests/**", ("RES",)),))
    assert [f.location.path for f in outcome.kept] == ["app/api.py"]
    assert outcome.suppressed == 1


def test_per_file_ignores_by_name_and_basename_pattern() -> None:
    findings = [_finding(path="pkg/scripts/x.py"), _finding(path="pkg/y.py")]
    per_file = (("scripts/", ("aiohttp-session-without-timeout",)),)
    outcome = _apply(findings, [], per_file=per_file)
    assert [f.location.path for f in outcome.kept] == ["pkg/y.py"]


def test_per_file_ignores_of_another_rule_keep_the_finding() -> None:
    outcome = _apply([_finding()], [], per_file=(("*.py", ("SEC",)),))
    assert len(outcome.kept) == 1


# --- from source text to the judged result ----------------------------------------------------


def _judged_ids(tmp_path: Path, code: str, settings: Settings) -> list[tuple[str, int]]:
    (tmp_path / "svc.py").write_text(code, encoding="utf-8")
    raw = run_review([tmp_path], settings, CATALOGUE)
    result = judge(
        root=raw.root,
        files=raw.files,
        lines=raw.lines,
        findings=raw.findings,
        suppressions=raw.suppressions,
        notes=raw.notes,
        selected=raw.selected,
        catalogue=CATALOGUE.metas,
        settings=settings,
    )
    return sorted((i.rule.id, f.location.line) for i in result.issues for f in i.findings)


SETTINGS = Settings(select=("RES001", "QUAL9"), ruff=False)


def test_marker_in_a_string_does_not_suppress(tmp_path: Path) -> None:
    code = (
        "import aiohttp\n"
        "def f():\n"
        "    return aiohttp.ClientSession(), '# prodready: ignore[RES001] in a string'\n"
    )
    assert _judged_ids(tmp_path, code, SETTINGS) == [("RES001", 3)]


def test_suppression_comments_end_to_end(tmp_path: Path) -> None:
    code = (
        "import aiohttp\n"
        "a = aiohttp.ClientSession()  # prodready: ignore[RES001] closed by the caller\n"
        "b = aiohttp.ClientSession()  # prodready: ignore[aiohttp-session-without-timeout]\n"
        "c = 1  # prodready: ignore[RES001] nothing here\n"
        "d = 2  # prodready: ignore[RES404] typo\n"
        "e = aiohttp.ClientSession()\n"
    )
    assert _judged_ids(tmp_path, code, SETTINGS) == [
        ("QUAL901", 4),
        ("QUAL902", 3),
        ("QUAL903", 5),
        ("RES001", 6),
    ]


def test_per_file_ignores_from_the_config_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    settings = Settings(
        select=("RES001",),
        ruff=False,
        per_file_ignores=(("scripts/*.py", ("RES001",)),),
        source=str(tmp_path / "pyproject.toml"),
    )
    code = "import aiohttp\ns = aiohttp.ClientSession()\n"
    assert _judged_ids(tmp_path / "scripts", code, settings) == []
    (tmp_path / "scripts" / "svc.py").unlink()
    assert _judged_ids(tmp_path, code, settings) == [("RES001", 2)]
