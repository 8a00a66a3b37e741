"""From the raw findings of a run to the judged ReviewResult renderers print."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from prodready import __version__
from prodready.analysis.project.model import PracticeAssessment
from prodready.config.settings import Settings, pattern_path
from prodready.domain.finding import Finding, Note
from prodready.domain.result import ReviewResult, ReviewScope, StackItem
from prodready.domain.rule import RuleMeta
from prodready.domain.suppression import Suppression
from prodready.judge.baseline import apply_baseline
from prodready.judge.checklist import checklist
from prodready.judge.group import group_issues
from prodready.judge.suppress import apply_suppressions
from prodready.judge.verdict import decide


def judge(
    *,
    root: str,
    files: int,
    lines: int,
    findings: tuple[Finding, ...],
    suppressions: tuple[Suppression, ...],
    notes: tuple[Note, ...],
    selected: tuple[RuleMeta, ...],
    catalogue: tuple[RuleMeta, ...],
    settings: Settings,
    stack: tuple[StackItem, ...] = (),
    project: Mapping[str, object] | None = None,
    baseline: frozenset[str] = frozenset(),
    only_paths: frozenset[str] | None = None,
    reviewed: int | None = None,
    practices: tuple[PracticeAssessment, ...] = (),
) -> ReviewResult:
    """Suppressions, then (optionally) only findings in `only_paths`, then the baseline,
    then issues, checklist and verdict. `reviewed`: how many of `files` could be parsed;
    `practices`: the project model's assessment of the checklist, merged with the findings."""
    selected_ids = frozenset(meta.id for meta in selected)
    root_path, anchor = Path(root), settings.anchor

    def locate(path: str) -> str:
        return pattern_path(root_path / path, root_path, anchor)

    outcome = apply_suppressions(
        findings, suppressions, catalogue, selected_ids, settings.per_file_ignores, locate
    )
    by_id = {meta.id: meta for meta in catalogue}
    current = [*outcome.kept, *outcome.hygiene]
    if only_paths is not None:
        current = [f for f in current if f.location.path in only_paths]
    accepted = apply_baseline(current, baseline)
    issues = group_issues(
        accepted.kept,
        by_id,
        settings.severity_overrides,
        settings.min_severity,
    )
    reported = {issue.rule.id for issue in issues}
    return ReviewResult(
        tool_version=__version__,
        scope=ReviewScope(
            root=root, files=files, lines=lines, stack=stack, rules_run=len(selected)
        ),
        issues=issues,
        checklist=checklist(issues, selected, practices),
        verdict=decide(
            issues,
            settings.thresholds,
            files=files,
            unreviewed=files - reviewed if reviewed is not None else 0,
        ),
        notes=notes,
        suppressed=outcome.suppressed,
        baselined=accepted.baselined,
        catalogue=tuple(m for m in catalogue if m.id in reported),
        project=project or {},
    )
