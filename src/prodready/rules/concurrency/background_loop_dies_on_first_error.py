"""ASY012: a background task's `while True:` loop that the first exception ends for good."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.flow import spawned_names
from prodready.analysis.guards import handles_some, is_forever, unguarded_awaits
from prodready.analysis.names import dotted_name
from prodready.analysis.revisit import function_at
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ASY012",
    name="background-loop-dies-on-first-error",
    title="Background loop ends silently at its first exception",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "A `while True:` loop (or `while self.running:` / `while not stop.is_set():`) in an "
        "`async def` started as a task (`create_task`, `ensure_future`, a TaskGroup) awaits "
        "work with no `try/except Exception` inside the loop that logs the error and goes on."
    ),
    why=(
        "The first exception — a network blip, a DB failover, one malformed row — leaves the "
        "loop and ends the task. Nothing restarts it and nobody is told: a task's exception "
        "is only logged as 'Task exception was never retrieved' when the task object is "
        "garbage-collected, often never. Subscriptions stop expiring, payments stop being "
        "polled, reminders stop going out, while the bot itself looks healthy. (APScheduler "
        "jobs are not concerned: the scheduler logs the error and runs the job next time.)"
    ),
    fix="""Catch, log and back off inside the loop; let only cancellation end it:

```python
import asyncio
import logging

import stamina

log = logging.getLogger(__name__)


@stamina.retry(on=ConnectionError, attempts=3)
async def expire_subscriptions(repo) -> None:
    await repo.expire_due()


async def expiry_worker(repo, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await expire_subscriptions(repo)
        except Exception:
            log.exception("expiry pass failed; next pass in 60 s")
        await asyncio.sleep(60)
```

Keep the task in an `asyncio.TaskGroup` (or a supervisor) so that an error that does escape
stops the service visibly instead of silently.""",
    migration=(
        "Wrap the body of each background loop in `try/except Exception` with "
        "`log.exception(...)` (and Sentry), keep `CancelledError` out of it, add a backoff "
        "after failures (stamina / tenacity for the transient calls), and export a heartbeat "
        "metric per worker so that a stalled loop alerts. For jobs that must run on a "
        "schedule, prefer APScheduler, arq or taskiq, which log and reschedule by themselves."
    ),
    libraries=("stamina", "tenacity", "apscheduler", "arq", "sentry-sdk"),
    references=(
        "https://docs.python.org/3/library/asyncio-dev.html#detect-never-retrieved-exceptions",
        "https://docs.python.org/3/library/asyncio-task.html#task-groups",
    ),
    practices=(Practice.TASK_SUPERVISION,),
)

_SPAWNERS = frozenset({"create_task", "ensure_future", "start_soon", "spawn"})
_DEPTH = 2  # how many calls down an awaited function may keep its errors to itself


def _spawned(ctx: ProjectContext) -> set[str]:
    """Short names of the functions some file of the project starts as a task."""
    jobs = ctx.project.model.jobs
    names = {job.function.rsplit(".", 1)[-1] for job in jobs if job.kind == "task-loop"}
    for fact in ctx.project.facts:
        calls = [*fact.module_calls, *(c for f in fact.functions for c in f.calls)]
        spawns = any(c.rsplit(".", 1)[-1] in _SPAWNERS for c in calls)
        parsed = ctx.file(fact.path) if spawns else None
        names |= spawned_names(parsed.tree) if parsed is not None else set()
    return names


def _callees(ctx: ProjectContext, caller: str, point: ast.AST) -> list[str]:
    """The project functions `point` awaits: the callee the call graph links, else every
    project function of that name."""
    call = point.value if isinstance(point, ast.Await) else None
    func = call.func if isinstance(call, ast.Call) else None
    short = (dotted_name(func) or "").rsplit(".", 1)[-1] if func is not None else ""
    graph = ctx.project.calls
    named = [c for c in graph.callees(caller) if c.rsplit(".", 1)[-1] == short]
    return named or [f for f in graph.functions if short and f.rsplit(".", 1)[-1] == short]


def _escapes(ctx: ProjectContext, caller: str, points: list[ast.AST], depth: int) -> list[ast.AST]:
    """The points an exception can escape from: not an await of a project function whose
    own unguarded awaits are all safe in turn (followed `depth` calls down)."""
    escaping = []
    for point in points:
        callees = _callees(ctx, caller, point) if depth > 0 else []
        safe = bool(callees)
        for callee in callees:
            info = ctx.project.calls.functions[callee]
            parsed = ctx.file(info.evidence.path)
            node = function_at(parsed, info.evidence.line) if parsed is not None else None
            inner = unguarded_awaits(node.body) if node is not None else [point]
            safe = safe and not _escapes(ctx, callee, inner, depth - 1)
        if not safe:
            escaping.append(point)
    return escaping


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    spawned = _spawned(ctx)
    for name, info in ctx.project.calls.functions.items():
        if not info.is_async or name.rsplit(".", 1)[-1] not in spawned:
            continue
        parsed = ctx.file(info.evidence.path)
        function = function_at(parsed, info.evidence.line) if parsed is not None else None
        for loop in iter_body(function) if function is not None else ():
            if not isinstance(loop, ast.While) or not is_forever(loop.test):
                continue
            escaping = _escapes(ctx, name, unguarded_awaits(loop.body), _DEPTH)
            if not escaping or parsed is None or function is None:
                continue
            shown = ast.unparse(escaping[0]).splitlines()[0][:50]
            narrow = handles_some(loop.body)
            message = (
                f"the loop of task `{function.name}` ends at the first exception from `{shown}`"
                f"{' (only some exceptions are caught)' if narrow else ''}: nothing restarts it"
            )
            confidence = Confidence.MEDIUM if narrow else None
            yield ctx.finding(parsed, loop, message, confidence=confidence)
