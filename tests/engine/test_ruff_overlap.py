"""drop_overlaps: an upstream (ruff) finding gives way to the rule it overlaps, on its lines;
drop_constant_built: ruff's S608 on SQL text built only from constants is dropped."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, SourceText
from prodready.domain.finding import Finding, Location
from prodready.domain.rule import RuleMeta
from prodready.engine.ruff_bridge import drop_constant_built, drop_known_non_secrets, drop_overlaps
from prodready.rules.registry import discover

METAS: dict[str, RuleMeta] = {meta.id: meta for meta in discover().metas}


def _at(rule_id: str, line: int, path: str = "bot/handlers.py") -> Finding:
    return Finding(rule_id, Location(path, line, 4), f"{rule_id} here")


def _kept(*findings: Finding) -> list[tuple[str, str, int]]:
    return [(f.rule_id, f.location.path, f.location.line) for f in drop_overlaps(findings, METAS)]


@pytest.mark.parametrize(
    ("upstream", "native"),
    [("ASY103", "ASY001"), ("OBS102", "OBS001"), ("SEC102", "SEC002"), ("SEC103", "SEC001")],
)
def test_the_ruff_finding_gives_way_on_the_same_line(upstream: str, native: str) -> None:
    assert native in METAS[upstream].overlaps
    assert _kept(_at(upstream, 12), _at(native, 12)) == [(native, "bot/handlers.py", 12)]


def test_the_order_of_findings_does_not_matter() -> None:
    assert _kept(_at("OBS001", 7), _at("OBS102", 7)) == [("OBS001", "bot/handlers.py", 7)]


def test_another_line_or_file_keeps_both() -> None:
    assert _kept(_at("OBS102", 12), _at("OBS001", 13)) == [
        ("OBS102", "bot/handlers.py", 12),
        ("OBS001", "bot/handlers.py", 13),
    ]
    assert _kept(_at("SEC102", 3, "config.py"), _at("SEC002", 3, "settings.py")) == [
        ("SEC102", "config.py", 3),
        ("SEC002", "settings.py", 3),
    ]


def test_only_the_named_rules_take_precedence() -> None:
    # RES001 reports the same line, but OBS102 does not overlap it
    assert _kept(_at("OBS102", 5), _at("RES001", 5)) == [
        ("OBS102", "bot/handlers.py", 5),
        ("RES001", "bot/handlers.py", 5),
    ]


def test_the_native_rule_alone_and_the_ruff_rule_alone_are_kept() -> None:
    assert _kept(_at("ASY001", 9)) == [("ASY001", "bot/handlers.py", 9)]
    assert _kept(_at("ASY103", 9)) == [("ASY103", "bot/handlers.py", 9)]


def test_a_blind_except_that_swallows_is_reported_once() -> None:
    # `except Exception: pass`: BLE001 (OBS101) and S110 (OBS102) on one line
    assert _kept(_at("OBS101", 20), _at("OBS102", 20)) == [("OBS102", "bot/handlers.py", 20)]
    # in async code OBS001 reports it too: only the native rule remains
    assert _kept(_at("OBS101", 20), _at("OBS102", 20), _at("OBS001", 20)) == [
        ("OBS001", "bot/handlers.py", 20)
    ]


def test_a_finding_of_an_unknown_rule_is_kept() -> None:
    assert _kept(_at("XYZ999", 1), _at("OBS001", 1)) == [
        ("XYZ999", "bot/handlers.py", 1),
        ("OBS001", "bot/handlers.py", 1),
    ]


def test_the_ruff_finding_inside_the_native_finding_s_lines_gives_way() -> None:
    # `text(` on line 42, the f-string that ruff (S608) points at on line 44
    native = Finding("SEC001", Location("repo.py", 42, 12, end_line=45, end_column=13), "sql")
    assert _kept(native, _at("SEC103", 44, "repo.py")) == [("SEC001", "repo.py", 42)]
    assert _kept(native, _at("SEC103", 46, "repo.py")) == [
        ("SEC001", "repo.py", 42),
        ("SEC103", "repo.py", 46),
    ]


def test_a_ruff_sql_finding_on_constant_only_text_is_dropped() -> None:
    text = textwrap.dedent(
        """\
        def f(conn, name, ids):
            marks = ",".join("?" for _ in ids)
            conn.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)
            conn.execute(f"SELECT * FROM t WHERE name = '{name}'")
        """
    )
    tree = ast.parse(text)
    parsed = ParsedFile(
        SourceText("repo.py", "repo", False, tuple(text.splitlines())),
        tree,
        SemanticModel.build(tree, "repo", False),
    )
    findings = [
        _at("SEC103", 3, "repo.py"),
        _at("SEC103", 4, "repo.py"),
        _at("OBS102", 3, "repo.py"),
    ]
    kept = drop_constant_built(findings, METAS, {"repo.py": parsed}.get)
    assert [(f.rule_id, f.location.line) for f in kept] == [("SEC103", 4), ("OBS102", 3)]


def test_a_token_type_or_algorithm_name_is_no_hard_coded_secret() -> None:
    def sec102(line: int, snippet: str) -> Finding:
        return Finding("SEC102", Location("auth.py", line, 0), "S105", snippet=snippet)

    findings = [
        sec102(1, 'token_type = "bearer"'),
        sec102(2, "JWT_ALGORITHM = 'HS256'"),
        sec102(3, 'password = "Test_1234"'),
        sec102(4, 'API_TOKEN = "bearer-abc123"'),
    ]
    kept = drop_known_non_secrets(findings, METAS)
    assert [f.location.line for f in kept] == [3, 4]
