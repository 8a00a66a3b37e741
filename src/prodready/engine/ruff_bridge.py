"""Run ruff once over the reviewed files and present its results as prodready findings.

Generic lint families ruff already does well are not re-implemented: each upstream rule
module names the ruff codes it presents, with prodready's own four texts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from prodready.analysis.constant_lines import constant_built_lines
from prodready.analysis.source import ParsedFile
from prodready.domain.finding import Finding, Location, Note, NoteKind
from prodready.domain.rule import RuleMeta

RUFF_TIMEOUT_SECONDS = 300
_CHUNK = 400

Lines = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class RuffOutcome:
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]


def find_ruff() -> str | None:
    """The ruff binary of this installation (the `ruff` wheel), else one on PATH."""
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:
        return shutil.which("ruff")
    try:
        return os.fsdecode(find_ruff_bin())
    except FileNotFoundError:
        return shutil.which("ruff")


def _command(ruff: str, codes: Iterable[str], files: Sequence[str]) -> list[str]:
    return [
        ruff,
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        "--no-fix",
        "--output-format",
        "json",
        "--select",
        ",".join(sorted(codes)),
        "--",
        *files,
    ]


def _run(command: list[str], cwd: str) -> list[dict[str, object]] | str:
    """ruff's parsed JSON, or a one-line reason why there is none."""
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            timeout=RUFF_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return f"ruff took longer than {RUFF_TIMEOUT_SECONDS} s and was stopped"
    except OSError as error:
        return f"ruff could not start: {error.strerror}"
    # `--exit-zero`: ruff exits 0 whatever it finds and always prints a JSON list ("[]"), so
    # any other code, or no output, means it did not run (1 would be a clean-looking failure)
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"ruff exited {done.returncode}: {first[0] if first else 'no message'}"
    if not done.stdout.strip():
        return "ruff printed nothing"
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        return "ruff printed output that is not JSON"
    return data if isinstance(data, list) else "ruff printed an unexpected JSON shape"


def _finding(
    item: Mapping[str, object], meta: RuleMeta, root: Path, lines: Lines
) -> Finding | None:
    filename, location, end = item.get("filename"), item.get("location"), item.get("end_location")
    if not isinstance(filename, str) or not isinstance(location, dict):
        return None
    path = Path(filename)
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    row = int(location.get("row", 1))
    end_row = int(end["row"]) if isinstance(end, dict) and "row" in end else None
    end_col = int(end["column"]) - 1 if isinstance(end, dict) and "column" in end else None
    where = Location(relative, row, max(int(location.get("column", 1)) - 1, 0), end_row, end_col)
    message = f"{item.get('message', '')} (ruff {item.get('code')})"
    return Finding(meta.id, where, message, snippet=lines(f"{relative}:{row}"))


def run_ruff(
    root: Path, files: Sequence[str], rules: Sequence[RuleMeta], lines: Lines
) -> RuffOutcome:
    """Findings of the upstream `rules` on `files` (absolute paths); `lines("path:row")`
    gives the evidence line. If ruff is missing or fails, one note and no findings."""
    by_code = {code: meta for meta in rules for code in meta.upstream}
    if not by_code or not files:
        return RuffOutcome((), ())
    ruff = find_ruff()
    if ruff is None:
        note = Note("", NoteKind.TOOL, "ruff is not installed: its rules were skipped")
        return RuffOutcome((), (note,))
    findings: list[Finding] = []
    for start in range(0, len(files), _CHUNK):
        data = _run(_command(ruff, by_code, files[start : start + _CHUNK]), str(root))
        if isinstance(data, str):
            return RuffOutcome((), (Note("", NoteKind.TOOL, f"{data}; its rules were skipped"),))
        for item in data:
            meta = by_code.get(str(item.get("code")))
            found = _finding(item, meta, root, lines) if meta and isinstance(item, dict) else None
            if found is not None:
                findings.append(found)
    return RuffOutcome(tuple(findings), ())


def drop_overlaps(findings: Iterable[Finding], metas: Mapping[str, RuleMeta]) -> list[Finding]:
    """Drop an upstream finding that falls inside the lines of a finding of a rule it
    `overlaps` (a multi-line `text(f"...")` is reported by SEC001 at the call, by ruff at the
    f-string a line below: one defect)."""
    found = list(findings)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for f in found:
        end = max(f.location.end_line or f.location.line, f.location.line)
        spans.setdefault((f.location.path, f.rule_id), []).append((f.location.line, end))
    kept: list[Finding] = []
    for finding in found:
        meta = metas.get(finding.rule_id)
        line = finding.location.line
        overlapped = meta is not None and any(
            first <= line <= last
            for other in meta.overlaps
            for first, last in spans.get((finding.location.path, other), ())
        )
        if not overlapped:
            kept.append(finding)
    return kept


# ruff codes that report a string built by code whatever it interpolates
_BUILT_STRING_CODES = frozenset({"S608"})


def drop_constant_built(
    findings: Iterable[Finding],
    metas: Mapping[str, RuleMeta],
    parsed: Callable[[str], ParsedFile | None],
) -> list[Finding]:
    """Drop a finding of a rule presenting ruff's S608 on a line whose built strings
    interpolate only constants (literal column lists, `?` placeholders): nothing reaches the
    SQL text from outside, the values are bound."""
    found = list(findings)
    rules = {m.id for m in metas.values() if _BUILT_STRING_CODES.intersection(m.upstream)}
    lines: dict[str, set[int]] = {}
    for f in found:
        if f.rule_id in rules:
            lines.setdefault(f.location.path, set()).add(f.location.line)
    constant: set[tuple[str, int]] = set()
    for path, rows in lines.items():
        file = parsed(path)
        if file is not None:
            kept = constant_built_lines(file.tree, file.semantic, rows)
            constant.update((path, row) for row in kept)
    return [
        f
        for f in found
        if f.rule_id not in rules or (f.location.path, f.location.line) not in constant
    ]


_SECRET_NAME_CODES = frozenset({"S105", "S106", "S107"})
# Values ruff's hard-coded-password checks see beside a secret-looking name that are no secret:
# `token_type = "bearer"`, `ALGORITHM = "HS256"` (the OAuth token type, a JWT algorithm).
_NOT_SECRETS = re.compile(
    r"^(bearer|basic|jwt|none|(hs|rs|es|ps)(256|384|512)|eddsa)$", re.IGNORECASE
)
_LITERAL = re.compile(r"""(['"])([^'"]*)\1""")


def drop_known_non_secrets(
    findings: Iterable[Finding], metas: Mapping[str, RuleMeta]
) -> list[Finding]:
    """Drop a finding of a rule presenting ruff's S105 / S106 / S107 on a line whose only
    string literals are a token type or a signing algorithm's name."""
    rules = {m.id for m in metas.values() if _SECRET_NAME_CODES.intersection(m.upstream)}

    def harmless(finding: Finding) -> bool:
        values = [m.group(2) for m in _LITERAL.finditer(finding.snippet)]
        return bool(values) and all(_NOT_SECRETS.match(v) for v in values)

    return [f for f in findings if f.rule_id not in rules or not harmless(f)]
