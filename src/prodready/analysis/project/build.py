"""Build the project model: per-file facts from every extractor, then one merge."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prodready.analysis.project import (
    calls,
    lifecycle,
    log_context,
    lookups,
    migration_tools,
    schema_alembic,
    schema_django,
    schema_models,
    structure,
    tasks,
)
from prodready.analysis.project.adapters import aiogram, django, jobs, ptb, web
from prodready.analysis.project.graph import CallGraph, import_graph
from prodready.analysis.project.model import (
    Dependency,
    Evidence,
    FileFacts,
    ProjectModel,
    Schema,
    Tooling,
)
from prodready.analysis.project.stack import detect_stack
from prodready.analysis.source import ParsedFile

Extractor = Callable[[ParsedFile], FileFacts]

EXTRACTORS: tuple[Extractor, ...] = (
    calls.extract,
    aiogram.extract,
    ptb.extract,
    web.extract,
    django.extract,
    jobs.extract,
    schema_models.extract,
    schema_django.extract,
    schema_alembic.extract,
    lifecycle.extract,
    migration_tools.extract,
    tasks.extract,
    structure.extract,
    log_context.extract,
    lookups.extract,
)

_MERGED_FIELDS = tuple(
    f.name for f in dataclasses.fields(FileFacts) if f.name not in ("path", "module", "imports")
)


def merge(
    parts: Sequence[FileFacts], path: str, module: str, imports: tuple[str, ...]
) -> FileFacts:
    """One FileFacts holding every extractor's findings for a file."""
    merged: dict[str, tuple[object, ...]] = {name: () for name in _MERGED_FIELDS}
    for part in parts:
        for name in _MERGED_FIELDS:
            merged[name] = (*merged[name], *getattr(part, name))
    return FileFacts(path=path, module=module, imports=imports, **merged)  # type: ignore[arg-type]


def file_facts(parsed: ParsedFile, extractors: Iterable[Extractor] = EXTRACTORS) -> FileFacts:
    """Every extractor's facts about one parsed file (extractors are pure)."""
    imports = tuple(sorted(set(parsed.semantic.imports.bindings.values())))
    parts = [extract(parsed) for extract in extractors]
    return merge(parts, parsed.source.path, parsed.source.module, imports)


@dataclass(frozen=True, slots=True)
class Project:
    """The model plus the graphs, as project rules see them."""

    model: ProjectModel
    calls: CallGraph
    imports: Mapping[str, tuple[str, ...]]
    facts: tuple[FileFacts, ...]
    tooling: Tooling = field(default_factory=Tooling)


def _import_evidence(facts: Iterable[FileFacts]) -> dict[str, Evidence]:
    evidence: dict[str, Evidence] = {}
    for fact in facts:
        for name in fact.imports:
            evidence.setdefault(name, Evidence(fact.path))
    return evidence


def build_project(
    facts: Sequence[FileFacts],
    dependencies: Sequence[Dependency] = (),
    locked: Mapping[str, str] | None = None,
    schema_builder: Callable[[Sequence[FileFacts]], Schema] | None = None,
    tooling: Tooling | None = None,
    layers: tuple[tuple[str, str], ...] = (),
) -> Project:
    ordered = tuple(sorted(facts, key=lambda f: f.path))
    stack = detect_stack(dependencies, locked or {}, _import_evidence(ordered))
    model = ProjectModel(
        stack=stack,
        dependencies=tuple(dependencies),
        handlers=tuple(h for f in ordered for h in f.handlers),
        routes=tuple(r for f in ordered for r in f.routes),
        entry_points=tuple(e for f in ordered for e in f.entry_points),
        hooks=tuple(h for f in ordered for h in f.hooks),
        jobs=tuple(j for f in ordered for j in f.jobs),
        schema=schema_builder(ordered) if schema_builder else Schema(),
        layers=layers,
    )
    graph = CallGraph.build(ordered)
    return Project(model, graph, import_graph(ordered), ordered, tooling or Tooling())
