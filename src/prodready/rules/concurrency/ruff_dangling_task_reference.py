"""ASY103: a task whose reference is dropped, as ruff's RUF006 finds it (ASY001 goes further)."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="ASY103",
        name="dangling-task-reference",
        title="Task created without keeping a reference to it",
        dimension=Dimension.CONCURRENCY,
        severity=Severity.MAJOR,
        confidence=Confidence.HIGH,
        what=(
            "The task returned by `asyncio.create_task(...)`, `asyncio.ensure_future(...)` or "
            "`loop.create_task(...)` is thrown away: the call is a bare statement, or its "
            "result goes to a local variable that is never read (including `_`). Where "
            "prodready's own ASY001 reports the same line, only ASY001 is shown."
        ),
        why=(
            "The event loop keeps only a weak reference to tasks, so an unreferenced task can be "
            "garbage-collected before it finishes: the receipt is never sent, the payment is "
            "never recorded, the cache is never refreshed, and nothing says so. If the task "
            'fails, its exception is only logged as "Task exception was never retrieved" when '
            "the task object is destroyed, far from the cause and outside your error tracking; "
            "at shutdown nothing waits for it, so in-flight work is cut off."
        ),
        fix="""Run related work in a task group, which keeps the tasks, waits for them and raises
their errors:

```python
import asyncio


async def confirm_payment(payment_id: str) -> None:
    async with asyncio.TaskGroup() as tg:
        tg.create_task(send_receipt(payment_id))
        tg.create_task(sync_crm(payment_id))
```

For fire-and-forget work that outlives the handler, spawn it on a supervisor created at start-up
and closed at shutdown, e.g. `aiojobs`:

```python
import aiojobs


async def on_startup(app) -> None:
    app["jobs"] = aiojobs.Scheduler(limit=100)  # on shutdown: await app["jobs"].close()


async def confirm_payment(app, payment_id: str) -> None:
    await app["jobs"].spawn(send_receipt(payment_id))
```""",
        migration=(
            "Where the caller needs the work done before it answers, use `asyncio.TaskGroup` "
            "(Python 3.11+) or an anyio task group. For background work, create one "
            "`aiojobs.Scheduler` in the startup hook, spawn through it, and close it in the "
            "shutdown hook so in-flight jobs finish or are cancelled deliberately. PTB users "
            "can use `Application.create_task`, which the application tracks and waits for on "
            "shutdown."
        ),
        libraries=("aiojobs", "anyio"),
        references=(
            "https://docs.astral.sh/ruff/rules/asyncio-dangling-task/",
            "https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task",
        ),
        practices=(Practice.TASK_SUPERVISION,),
        upstream=("RUF006",),
        overlaps=("ASY001",),
    )
)
