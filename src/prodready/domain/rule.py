"""A rule's metadata: everything the catalogue, the docs and the reports say about it."""

from __future__ import annotations

from dataclasses import dataclass

from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """The data beside a rule's detection code.

    `what`, `why`, `fix` and `migration` are Markdown; `fix` holds a fenced Python example.
    `practices` names the checklist items this rule's findings are evidence about.
    `upstream` names the codes of an external linter (ruff) whose results this rule presents;
    `overlaps` names prodready rules that report the same defect more precisely: on a line
    where one of them reports, this rule's finding is dropped.
    """

    id: str
    name: str
    title: str
    dimension: Dimension
    severity: Severity
    confidence: Confidence
    what: str
    why: str
    fix: str
    migration: str
    libraries: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    practices: tuple[Practice, ...] = ()
    upstream: tuple[str, ...] = ()
    overlaps: tuple[str, ...] = ()

    def matches(self, selector: str) -> bool:
        """True when `selector` names this rule: its id, its name, an id prefix or ALL."""
        key = selector.strip()
        if key.upper() == "ALL":
            return True
        return key == self.name or self.id.upper().startswith(key.upper())
