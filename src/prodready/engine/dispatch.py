"""One walk of a file's tree, calling each selected file rule on the node types it wants."""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import SourceText
from prodready.analysis.walk import walk_with_ancestors
from prodready.domain.finding import Finding, Note, NoteKind
from prodready.rules.api import FileContext, FileRule


@dataclass(frozen=True, slots=True)
class DispatchTable:
    """File rules indexed by the node types they subscribe to."""

    by_type: dict[type[ast.AST], tuple[FileRule, ...]]

    @classmethod
    def of(cls, rules: tuple[FileRule, ...]) -> DispatchTable:
        index: dict[type[ast.AST], list[FileRule]] = defaultdict(list)
        for rule in rules:
            for node_type in rule.node_types:
                index[node_type].append(rule)
        return cls({node_type: tuple(found) for node_type, found in index.items()})


def _line(node: ast.AST) -> str:
    return str(getattr(node, "lineno", "?"))


def _one_line(error: Exception) -> str:
    text = repr(error)
    return text.splitlines()[0] if text else type(error).__name__


def dispatch(
    tree: ast.Module, source: SourceText, semantic: SemanticModel, table: DispatchTable
) -> tuple[list[Finding], list[Note]]:
    """Walk `tree` once; a rule that raises is reported as a note and disabled for the file."""
    findings: list[Finding] = []
    notes: list[Note] = []
    contexts: dict[str, FileContext] = {}
    broken: set[str] = set()
    for node in walk_with_ancestors(tree, semantic.ancestors):
        rules = table.by_type.get(type(node))
        if not rules:
            continue
        semantic.current = node
        for rule in rules:
            rule_id = rule.meta.id
            if rule_id in broken:
                continue
            context = contexts.get(rule_id)
            if context is None:
                context = contexts[rule_id] = FileContext(source, semantic, rule.meta)
            try:
                findings.extend(rule.check(node, context))
            except (RecursionError, MemoryError):
                broken.add(rule_id)
                message = f"{rule_id} skipped from line {_line(node)}: nested too deeply"
                notes.append(Note(source.path, NoteKind.TOO_DEEP, message))
            except Exception as error:  # noqa: BLE001 - a rule bug must not stop the review
                broken.add(rule_id)
                message = f"{rule_id} failed on line {_line(node)}: {_one_line(error)}"
                notes.append(Note(source.path, NoteKind.RULE_ERROR, message))
    semantic.current = None
    semantic.ancestors.clear()
    return findings, notes
