"""Apply inline suppressions and per-file ignores; report suppressions that are wrong."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prodready.config.patterns import gitignore_spec
from prodready.domain.finding import Finding, Location
from prodready.domain.rule import RuleMeta
from prodready.domain.suppression import Suppression
from prodready.rules.quality.suppression_hygiene import NO_REASON, UNKNOWN_RULE, UNUSED


@dataclass(frozen=True, slots=True)
class Suppressed:
    kept: tuple[Finding, ...]
    suppressed: int
    hygiene: tuple[Finding, ...]


def _lookup(catalogue: Iterable[RuleMeta]) -> dict[str, RuleMeta]:
    table: dict[str, RuleMeta] = {}
    for meta in catalogue:
        table[meta.id.upper()] = meta
        table[meta.name.upper()] = meta
    return table


def _hygiene(rule: RuleMeta, s: Suppression, message: str) -> Finding:
    return Finding(rule.id, Location(s.path, s.line), message, snippet=s.text)


def per_file_ignored(
    findings: Iterable[Finding],
    per_file: tuple[tuple[str, tuple[str, ...]], ...],
    catalogue: dict[str, RuleMeta],
    locate: Callable[[str], str] = str,
) -> tuple[list[Finding], int]:
    """Drop findings a per-file pattern ignores; `locate` turns a finding's path into the
    path the patterns are written against."""
    specs = [(gitignore_spec([pattern]), codes) for pattern, codes in per_file]
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        meta = catalogue.get(finding.rule_id.upper())
        hit = meta is not None and any(
            spec.match_file(locate(finding.location.path))
            and any(meta.matches(code) for code in codes)
            for spec, codes in specs
        )
        if hit:
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped


def apply_suppressions(
    findings: Iterable[Finding],
    suppressions: Iterable[Suppression],
    catalogue: Iterable[RuleMeta],
    selected: frozenset[str],
    per_file: tuple[tuple[str, tuple[str, ...]], ...] = (),
    locate: Callable[[str], str] = str,
) -> Suppressed:
    """Drop suppressed findings; hygiene findings for suppressions that are wrong.

    A suppression is "unused" only when every rule it names ran (was selected).
    """
    lookup = _lookup(catalogue)
    remaining, dropped = per_file_ignored(findings, per_file, lookup, locate)
    by_line: dict[tuple[str, int], list[Suppression]] = defaultdict(list)
    by_file: dict[str, list[Suppression]] = defaultdict(list)
    hygiene: list[Finding] = []
    for s in suppressions:
        (by_file[s.path] if s.file_level else by_line[(s.path, s.line)]).append(s)
        if not s.reason:
            hygiene.append(_hygiene(NO_REASON.meta, s, "suppression gives no reason"))
        for code in s.codes:
            if code.upper() not in lookup:
                hygiene.append(_hygiene(UNKNOWN_RULE.meta, s, f"no rule is named `{code}`"))
        if not s.codes:
            hygiene.append(_hygiene(UNKNOWN_RULE.meta, s, "suppression names no rule: `[ID]`"))
    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    for finding in remaining:
        meta = lookup.get(finding.rule_id.upper())
        candidates = [
            *by_line.get((finding.location.path, finding.location.line), ()),
            *by_file.get(finding.location.path, ()),
        ]
        hit = False
        for s in candidates:
            for code in s.codes:
                if meta is not None and lookup.get(code.upper()) is meta:
                    used.add((id(s), code.upper()))
                    hit = True
        if hit:
            dropped += 1
        else:
            kept.append(finding)
    for group in (*by_line.values(), *by_file.values()):
        for s in group:
            for code in s.codes:
                meta = lookup.get(code.upper())
                if meta is None or meta.id not in selected or (id(s), code.upper()) in used:
                    continue
                hygiene.append(_hygiene(UNUSED.meta, s, f"`{code}` suppresses nothing here"))
    hygiene = [h for h in hygiene if h.rule_id in selected]
    return Suppressed(kept=tuple(kept), suppressed=dropped, hygiene=tuple(hygiene))
