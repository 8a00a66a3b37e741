"""ASY012: a background task's `while True:` loop that the first exception ends for good."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.guards import handles_some, is_forever, unguarded_awaits
from prodready.analysis.revisit import function_at
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.supervision import escaping_points, spawned_functions

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

_DEPTH = 2  # how many calls down an awaited function may keep its errors to itself


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    spawned = spawned_functions(ctx.project, ctx.files)
    for name, info in ctx.project.calls.functions.items():
        if not info.is_async or name.rsplit(".", 1)[-1] not in spawned:
            continue
        parsed = ctx.file(info.evidence.path)
        function = function_at(parsed, info.evidence.line) if parsed is not None else None
        for loop in iter_body(function) if function is not None else ():
            if not isinstance(loop, ast.While) or not is_forever(loop.test):
                continue
            points = unguarded_awaits(loop.body)
            escaping = escaping_points(ctx.project, ctx.files, name, points, _DEPTH)
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
