"""Fingerprints ignore line numbers and whitespace, and tell different evidence apart."""

from __future__ import annotations

from dataclasses import replace

from prodready.domain.finding import Finding, Location
from prodready.domain.fingerprint import fingerprint, fingerprints, normalize_snippet


def _at(
    line: int, snippet: str = "session = aiohttp.ClientSession()", path: str = "a.py"
) -> Finding:
    return Finding("RES001", Location(path, line, 4), "no timeout", snippet)


def test_moving_a_finding_to_another_line_keeps_its_fingerprint() -> None:
    assert fingerprints((_at(10),)) == fingerprints((_at(250),))


def test_reindented_evidence_keeps_its_fingerprint() -> None:
    moved = _at(12, "session  =\taiohttp.ClientSession( )".replace("( )", "()"))
    assert fingerprints((moved,)) == fingerprints((_at(10),))
    assert normalize_snippet("  a \t b\n c ") == "a b c"


def test_different_snippets_rules_or_paths_give_different_fingerprints() -> None:
    base = fingerprints((_at(10),))[0]
    assert fingerprints((_at(10, "client = aiohttp.ClientSession()"),))[0] != base
    assert fingerprints((_at(10, path="b.py"),))[0] != base
    assert fingerprints((replace(_at(10), rule_id="RES002"),))[0] != base


def test_identical_findings_are_told_apart_by_occurrence_in_file_order() -> None:
    first, second = fingerprints((_at(10), _at(20)))
    assert first != second
    assert first == fingerprint("RES001", "a.py", "session = aiohttp.ClientSession()", 0)
    # Code inserted above both moves them; each keeps its own fingerprint.
    assert fingerprints((_at(15), _at(40))) == (first, second)
    # The order findings are given in does not matter, only their order in the file.
    assert fingerprints((_at(20), _at(10))) == (second, first)


def test_a_fingerprint_is_a_sha256_hex_digest() -> None:
    (value,) = fingerprints((_at(1),))
    assert len(value) == 64
    assert set(value) <= set("0123456789abcdef")
