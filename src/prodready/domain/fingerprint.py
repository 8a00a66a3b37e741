"""Stable fingerprints of findings: they survive moving code to other lines.

A finding's fingerprint hashes its rule, its file, its evidence line with whitespace
collapsed, and its occurrence index among findings with the same (rule, file, evidence)
counted in file order. The line number is deliberately left out, so inserting code above a
finding keeps its fingerprint; JSON reports and SARIF `partialFingerprints` share it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from prodready.domain.finding import Finding

FINGERPRINT_KEY = "prodreadyFingerprint/v1"
_SEPARATOR = "\x1f"


def normalize_snippet(snippet: str) -> str:
    """The evidence line with every run of whitespace collapsed to one space."""
    return " ".join(snippet.split())


def fingerprint(rule_id: str, path: str, snippet: str, occurrence: int) -> str:
    """The hex SHA-256 of the identity of one finding (no line number)."""
    key = _SEPARATOR.join((rule_id, path, normalize_snippet(snippet), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprints(findings: Sequence[Finding]) -> tuple[str, ...]:
    """The fingerprint of each finding, in the order given.

    Occurrence indexes count identical (rule, path, evidence) triples in file order, so the
    result does not depend on the order of `findings`.
    """
    order = sorted(
        range(len(findings)),
        key=lambda i: (
            findings[i].location.path,
            findings[i].location.line,
            findings[i].location.column,
            i,
        ),
    )
    seen: dict[tuple[str, str, str], int] = {}
    prints = [""] * len(findings)
    for index in order:
        finding = findings[index]
        triple = (finding.rule_id, finding.location.path, normalize_snippet(finding.snippet))
        occurrence = seen.get(triple, 0)
        seen[triple] = occurrence + 1
        prints[index] = fingerprint(*triple, occurrence)
    return tuple(prints)
