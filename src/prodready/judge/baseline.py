"""A baseline: findings accepted once, so that only new ones fail a build.

Findings are matched by fingerprint (rule, file, evidence line, occurrence) and never by
line number, so code that moves keeps its baselined findings baselined.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from prodready.domain.finding import Finding
from prodready.domain.fingerprint import fingerprints

BASELINE_VERSION = "1"


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names it."""


@dataclass(frozen=True, slots=True)
class Baselined:
    kept: tuple[Finding, ...]
    baselined: int


def read_baseline(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: no such baseline file (create it with --write-baseline)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read: {error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: not a prodready baseline: {error.msg}") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: not a prodready baseline (no 'findings' list)")
    return frozenset(
        e["fingerprint"] for e in entries if isinstance(e, dict) and "fingerprint" in e
    )


def baseline_text(findings: Sequence[Finding]) -> str:
    """The baseline file for `findings`: sorted, stable, reviewable in a diff."""
    prints = fingerprints(findings)
    entries = sorted(
        (
            {"fingerprint": fp, "rule": f.rule_id, "path": f.location.path, "message": f.message}
            for f, fp in zip(findings, prints, strict=True)
        ),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"]),
    )
    body = {"tool": "prodready", "version": BASELINE_VERSION, "findings": entries}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def apply_baseline(findings: Sequence[Finding], baseline: frozenset[str]) -> Baselined:
    if not baseline:
        return Baselined(tuple(findings), 0)
    prints = fingerprints(findings)
    kept = tuple(f for f, fp in zip(findings, prints, strict=True) if fp not in baseline)
    return Baselined(kept, len(findings) - len(kept))
