"""What a rule reports, where, and the notes the review adds about its input."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from prodready.domain.taxonomy import Confidence, Severity


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a reviewed file; `path` is relative to the review root, with `/`."""

    path: str
    line: int
    column: int = 0
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column + 1}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence of a rule: the place, a short specific message, and the evidence line.

    `confidence` and `severity` override the rule's defaults when the rule knows better
    for this occurrence (None: the rule's own).
    """

    rule_id: str
    location: Location
    message: str
    snippet: str = ""
    confidence: Confidence | None = None
    severity: Severity | None = None
    context: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id)


class NoteKind(Enum):
    """Why a piece of input could not be fully reviewed."""

    UNREADABLE = "unreadable"
    UNDECODABLE = "undecodable"
    UNPARSABLE = "unparsable"
    TOO_DEEP = "too-deep"
    SKIPPED = "skipped"
    MISSING_PATH = "missing-path"
    TOOL = "tool"
    RULE_ERROR = "rule-error"


@dataclass(frozen=True, slots=True)
class Note:
    """A one-line message about the review's input or tooling (never a defect of the code)."""

    path: str
    kind: NoteKind
    message: str

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.path, self.kind.value, self.message)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message}"
