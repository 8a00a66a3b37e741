"""Background tasks across a project: which functions are started as tasks, and which awaits
of a loop let an exception out (following awaited project functions a few calls down)."""

from __future__ import annotations

import ast

from prodready.analysis.flow import spawned_names
from prodready.analysis.guards import unguarded_awaits
from prodready.analysis.names import dotted_name
from prodready.analysis.project.build import Project
from prodready.analysis.revisit import function_at
from prodready.analysis.source import ParsedFiles

_SPAWNERS = frozenset({"create_task", "ensure_future", "start_soon", "spawn"})


def spawned_functions(project: Project, files: ParsedFiles) -> set[str]:
    """Short names of the functions some file of the project starts as a task."""
    jobs = project.model.jobs
    names = {job.function.rsplit(".", 1)[-1] for job in jobs if job.kind == "task-loop"}
    for fact in project.facts:
        calls = [*fact.module_calls, *(c for f in fact.functions for c in f.calls)]
        spawns = any(c.rsplit(".", 1)[-1] in _SPAWNERS for c in calls)
        parsed = files.get(fact.path) if spawns else None
        names |= spawned_names(parsed.tree) if parsed is not None else set()
    return names


def _callees(project: Project, caller: str, point: ast.AST) -> list[str]:
    """The project functions `point` awaits: the callee the call graph links, else every
    project function of that name."""
    call = point.value if isinstance(point, ast.Await) else None
    func = call.func if isinstance(call, ast.Call) else None
    short = (dotted_name(func) or "").rsplit(".", 1)[-1] if func is not None else ""
    graph = project.calls
    named = [c for c in graph.callees(caller) if c.rsplit(".", 1)[-1] == short]
    return named or [f for f in graph.functions if short and f.rsplit(".", 1)[-1] == short]


def escaping_points(
    project: Project, files: ParsedFiles, caller: str, points: list[ast.AST], depth: int
) -> list[ast.AST]:
    """The suspension points of `caller` an exception can escape from: all but awaits of
    project functions whose own unguarded awaits are safe in turn, `depth` calls down."""
    escaping = []
    for point in points:
        callees = _callees(project, caller, point) if depth > 0 else []
        safe = bool(callees)
        for callee in callees:
            info = project.calls.functions[callee]
            parsed = files.get(info.evidence.path)
            node = function_at(parsed, info.evidence.line) if parsed is not None else None
            inner = unguarded_awaits(node.body) if node is not None else [point]
            safe = safe and not escaping_points(project, files, callee, inner, depth - 1)
        if not safe:
            escaping.append(point)
    return escaping
