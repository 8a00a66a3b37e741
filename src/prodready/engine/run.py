"""A whole review's analysis: discover, analyse every file, then run project rules."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from prodready.analysis.config_files import ConfigFile
from prodready.analysis.project.build import Project, build_project
from prodready.analysis.project.model import PracticeAssessment
from prodready.analysis.project.practices import assess_practices
from prodready.analysis.project.schema_merge import build_schema
from prodready.analysis.source import ParsedFiles
from prodready.config.settings import Settings
from prodready.domain.finding import Finding, Note, NoteKind
from prodready.domain.rule import RuleMeta
from prodready.domain.suppression import Suppression
from prodready.engine.analyse import load_parsed
from prodready.engine.cache import FileCache
from prodready.engine.config_files import read_config_files
from prodready.engine.discover import discover
from prodready.engine.dispatch import DispatchTable
from prodready.engine.modules import ModuleNamer
from prodready.engine.parallel import FileJob, analyse_all, default_workers
from prodready.engine.project_files import read_declarations
from prodready.engine.ruff_bridge import (
    RuffOutcome,
    drop_constant_built,
    drop_known_non_secrets,
    drop_overlaps,
    run_ruff,
)
from prodready.engine.select import selected_rules
from prodready.engine.tooling import scan_tooling
from prodready.rules.api import FileRule, ProjectContext, ProjectRule, UpstreamRule
from prodready.rules.registry import Catalogue

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RawReview:
    """What the rules found, before the judge applies suppressions and decides."""

    root: str
    files: int
    lines: int
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    notes: tuple[Note, ...]
    selected: tuple[RuleMeta, ...]
    project: Project
    reviewed: int = 0
    """How many of `files` were read and parsed (the others have a note saying why not)."""
    practices: tuple[PracticeAssessment, ...] = ()
    """The production-practices checklist as the project model shows it (section 10)."""


def _run_project_rule(
    rule: ProjectRule,
    root: str,
    files: ParsedFiles,
    project: Project,
    configs: tuple[ConfigFile, ...] = (),
) -> tuple[list[Finding], list[Note]]:
    context = ProjectContext(root, files, rule.meta, project, configs)
    try:
        return list(rule.check(context)), []
    except (RecursionError, MemoryError):
        return [], [Note("", NoteKind.TOO_DEEP, f"{rule.meta.id} skipped: input nested too deeply")]
    except Exception as error:  # noqa: BLE001 - a rule bug must not stop the review
        return [], [Note("", NoteKind.RULE_ERROR, f"{rule.meta.id} failed: {error!r}")]


def _no_evidence(_: str) -> str:
    return ""


def run_review(
    paths: list[Path],
    settings: Settings,
    catalogue: Catalogue,
    progress: Progress | None = None,
) -> RawReview:
    """Analyse `paths`; raises discover.PathError for a path that does not exist."""
    found = discover(paths, settings)
    selected = selected_rules(catalogue, settings)
    table = DispatchTable.of(tuple(r for r in selected if isinstance(r, FileRule)))
    namer = ModuleNamer.scan(found.root, [ref.absolute for ref in found.files])
    jobs = [FileJob(ref, *namer.name(ref.absolute)) for ref in found.files]
    upstream = [rule.meta for rule in selected if isinstance(rule, UpstreamRule)]
    with ThreadPoolExecutor(max_workers=1) as background:
        # ruff runs in its own process while prodready analyses the same files
        ruff: Future[RuffOutcome] | None = None
        if settings.ruff and upstream and jobs:
            absolute = [job.ref.absolute for job in jobs]
            ruff = background.submit(run_ruff, found.root, absolute, upstream, _no_evidence)
        workers = settings.jobs or default_workers()
        cache = (
            FileCache.at(Path(settings.cache_dir), (r.meta.id for r in selected))
            if settings.cache_dir
            else None
        )
        analyses = analyse_all(jobs, table, workers, progress, cache)
        ruff_outcome = ruff.result() if ruff is not None else None
    findings = [f for a in analyses for f in a.findings]
    notes = [*found.notes, *(n for a in analyses for n in a.notes)]
    by_path = {job.ref.relative: job for job in jobs}
    readable = [a.path for a in analyses if a.facts is not None]
    parsed = ParsedFiles(
        readable,
        {a.path: a.parsed for a in analyses if a.parsed is not None},
        lambda path: load_parsed(by_path[path].ref, by_path[path].module, by_path[path].is_package),
    )
    root = str(found.root)
    declarations = read_declarations(found.root)
    notes.extend(declarations.notes)
    project = build_project(
        [a.facts for a in analyses if a.facts is not None],
        declarations.dependencies,
        declarations.locked,
        build_schema,
        scan_tooling(found.root),
        settings.layers,
    )
    configs = read_config_files(found.configs, notes)
    for rule in selected:
        if isinstance(rule, ProjectRule):
            extra, problems = _run_project_rule(rule, root, parsed, project, configs)
            findings.extend(extra)
            notes.extend(problems)
    # Rules presented from ruff did not run when ruff is off or failed (its note says why):
    # the judge must not call their suppressions unused nor say they found nothing.
    not_run = {meta.id for meta in upstream} if not settings.ruff else set()
    if ruff_outcome is not None:
        sources = {a.path: a.source for a in analyses if a.source is not None}
        findings.extend(
            replace(f, snippet=sources[f.location.path].line(f.location.line))
            for f in ruff_outcome.findings
            if f.location.path in sources
        )
        notes.extend(ruff_outcome.notes)
        if ruff_outcome.notes:
            not_run = {meta.id for meta in upstream}
    metas = {rule.meta.id: rule.meta for rule in selected}
    findings = drop_constant_built(drop_overlaps(findings, metas), metas, parsed.get)
    findings = drop_known_non_secrets(findings, metas)
    return RawReview(
        root=root,
        files=len(analyses),
        lines=sum(a.lines for a in analyses),
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        suppressions=tuple(s for a in analyses for s in a.suppressions),
        notes=tuple(sorted(notes, key=lambda n: n.sort_key)),
        selected=tuple(rule.meta for rule in selected if rule.meta.id not in not_run),
        project=project,
        reviewed=len(readable),
        practices=assess_practices(project),
    )
