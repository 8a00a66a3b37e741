"""Words, slugs and caps every rich renderer shares, so the formats say the same thing."""

from __future__ import annotations

from collections.abc import Sequence

from prodready.domain.finding import Finding, Note
from prodready.domain.result import ChecklistItem, PracticeStatus, ReviewResult, VerdictLevel
from prodready.domain.rule import RuleMeta

TOOL_NAME = "prodready"
INFORMATION_URI = "https://pypi.org/project/prodready/"
MAX_LOCATIONS = 20
MAX_NOTES = 50
MAX_HIDDEN_FILES = 10
REPORT_TITLE = "Production-readiness review"


def rule_texts(meta: RuleMeta) -> tuple[tuple[str, str], ...]:
    """The four parts of every issue, labelled, in the specification's order."""
    return (
        ("What is wrong", meta.what.strip()),
        ("Why it is dangerous", meta.why.strip()),
        ("Concrete fix", meta.fix.strip()),
        ("Migration / refactor guidance", meta.migration.strip()),
    )


def pypi_url(library: str) -> str:
    return f"https://pypi.org/project/{library}/"


def verdict_slug(level: VerdictLevel) -> str:
    """`not-ready`, `ready-with-fixes` or `ready`."""
    return level.name.lower().replace("_", "-")


def status_slug(status: PracticeStatus) -> str:
    """`present`, `missing`, `not-needed`, `not-applicable` or `not-assessed`."""
    return status.name.lower().replace("_", "-")


def not_applicable(checklist: Sequence[ChecklistItem]) -> bool:
    """True when no practice applies (a library or a tool): shown once, not per practice."""
    return bool(checklist) and all(
        item.status is PracticeStatus.NOT_APPLICABLE for item in checklist
    )


def sorted_notes(result: ReviewResult) -> tuple[Note, ...]:
    """The notes about the input in a stable order, whatever order the engine found them."""
    return tuple(sorted(result.notes, key=lambda note: note.sort_key))


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def files_of(findings: Sequence[Finding]) -> tuple[tuple[str, int], ...]:
    """(path, number of findings) for the files of `findings`, by path."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.location.path] = counts.get(finding.location.path, 0) + 1
    return tuple(sorted(counts.items()))
