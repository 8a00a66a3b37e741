"""What a rule module uses: the decorators and the contexts its check receives."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from prodready.analysis.config_files import ConfigFile
from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Evidence
from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, ParsedFiles, SourceText
from prodready.domain.finding import Finding, Location
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Severity


@dataclass(slots=True)
class FileContext:
    """What a file rule's check receives beside the node: the file and its semantic model."""

    source: SourceText
    semantic: SemanticModel
    rule: RuleMeta

    @property
    def path(self) -> str:
        return self.source.path

    def finding(
        self,
        node: ast.AST,
        message: str,
        *,
        confidence: Confidence | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return finding_at(self.rule, self.source, node, message, confidence, severity)


def finding_at(
    rule: RuleMeta,
    source: SourceText,
    node: ast.AST,
    message: str,
    confidence: Confidence | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of `rule` at `node` of `source`, with the node's first line as evidence."""
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None)
    location = Location(
        path=source.path,
        line=line,
        column=source.column(line, getattr(node, "col_offset", 0)) or 0,
        end_line=end_line,
        end_column=source.column(end_line or line, getattr(node, "end_col_offset", None)),
    )
    return Finding(
        rule_id=rule.id,
        location=location,
        message=message,
        snippet=source.line(line),
        confidence=confidence,
        severity=severity,
    )


@dataclass(frozen=True, slots=True)
class ProjectContext:
    """What a project rule's check receives: every parsed file of the review."""

    root: str
    files: ParsedFiles
    rule: RuleMeta
    project: Project
    configs: tuple[ConfigFile, ...] = ()
    """Configuration files beside the code (`.env`, `config.yaml`, ...), see engine/discover."""

    def file(self, path: str) -> ParsedFile | None:
        """The parsed file at `path` (relative), loaded on first use."""
        return self.files.get(path)

    def finding(
        self,
        file: ParsedFile,
        node: ast.AST,
        message: str,
        *,
        confidence: Confidence | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return finding_at(self.rule, file.source, node, message, confidence, severity)

    def finding_at(
        self,
        evidence: Evidence,
        message: str,
        *,
        confidence: Confidence | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at a fact's evidence (a file, and a line when known)."""
        parsed = self.file(evidence.path)
        line = max(evidence.line, 1)
        snippet = parsed.source.line(line) if parsed is not None and evidence.line else ""
        return Finding(
            rule_id=self.rule.id,
            location=Location(evidence.path, line),
            message=message,
            snippet=snippet,
            confidence=confidence,
            severity=severity,
        )


NodeT = TypeVar("NodeT", bound=ast.AST)
FileCheck = Callable[[Any, FileContext], Iterable[Finding]]
ProjectCheck = Callable[[ProjectContext], Iterable[Finding]]


def registered_file_rule(rule_id: str) -> FileRule:
    """The catalogue's file rule with this id (how rules travel to worker processes)."""
    from prodready.rules.registry import default_catalogue

    rule = default_catalogue().find_rule(rule_id)
    if not isinstance(rule, FileRule):
        raise LookupError(f"no registered file rule {rule_id}")
    return rule


@dataclass(frozen=True, slots=True)
class FileRule:
    """A rule dispatched on nodes of the given types during the one walk of each file.

    It pickles as its id: the decorated check is reachable only through the rule object,
    and a worker process finds the same rule in its own catalogue.
    """

    meta: RuleMeta
    node_types: tuple[type[ast.AST], ...]
    check: FileCheck

    def __reduce__(self) -> tuple[Callable[[str], FileRule], tuple[str]]:
        return (registered_file_rule, (self.meta.id,))


@dataclass(frozen=True, slots=True)
class ProjectRule:
    """A rule that reads every parsed file at once (cross-file facts)."""

    meta: RuleMeta
    check: ProjectCheck


@dataclass(frozen=True, slots=True)
class JudgedRule:
    """A rule whose findings the judge makes (e.g. suppression hygiene), not a check."""

    meta: RuleMeta


@dataclass(frozen=True, slots=True)
class UpstreamRule:
    """A rule whose findings come from ruff's codes in `meta.upstream` (engine/ruff_bridge)."""

    meta: RuleMeta


Rule = FileRule | ProjectRule | JudgedRule | UpstreamRule


def upstream_rule(meta: RuleMeta) -> UpstreamRule:
    """Register `meta` for findings of the ruff codes it names; it has no check of its own."""
    if not meta.upstream:
        raise ValueError(f"{meta.id}: an upstream rule must name its ruff codes")
    return UpstreamRule(meta=meta)


def judged_rule(meta: RuleMeta) -> JudgedRule:
    """Register `meta` for a rule the judge applies itself."""
    return JudgedRule(meta=meta)


def file_rule(
    meta: RuleMeta, on: tuple[type[NodeT], ...]
) -> Callable[[Callable[[NodeT, FileContext], Iterable[Finding]]], FileRule]:
    """Make `check(node, ctx)` a file rule called for every node of the types `on`."""

    def wrap(check: Callable[[NodeT, FileContext], Iterable[Finding]]) -> FileRule:
        return FileRule(meta=meta, node_types=on, check=check)

    return wrap


def project_rule(meta: RuleMeta) -> Callable[[ProjectCheck], ProjectRule]:
    """Make `check(project)` a project rule."""

    def wrap(check: ProjectCheck) -> ProjectRule:
        return ProjectRule(meta=meta, check=check)

    return wrap


def no_findings() -> Iterator[Finding]:
    """An empty result, for checks that return early."""
    return iter(())
