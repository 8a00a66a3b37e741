"""ASY001: a task started and then forgotten: its result is discarded or never used."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.bindings import is_read, origin
from prodready.analysis.names import dotted_name
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import EVENT_LOOPS, LOOP_NAMES, call_label

META = RuleMeta(
    id="ASY001",
    name="dangling-task",
    title="Background task started without keeping a reference",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "`asyncio.create_task(...)`, `asyncio.ensure_future(...)` or `loop.create_task(...)` is "
        "called as a statement, or its task is put in a local variable that is never used "
        "again: nothing keeps the task, awaits it or looks at its outcome."
    ),
    why=(
        "The event loop keeps only a weak reference to tasks: a task nobody references can be "
        "garbage-collected before it finishes, so a receipt, a refund or a subscription renewal "
        'silently never completes. When it fails, the exception is only logged as "Task '
        'exception was never retrieved" when the task is destroyed, far from the cause and '
        "never in your error tracking; and at shutdown nothing waits for it."
    ),
    fix="""Run related work in a task group, which waits for every task and raises their errors:

```python
import asyncio


async def confirm_payment(payment_id: str) -> None:
    async with asyncio.TaskGroup() as tg:
        tg.create_task(send_receipt(payment_id))
        tg.create_task(sync_crm(payment_id))
```

For fire-and-forget work that outlives the caller use a supervisor that keeps the tasks and
logs their failures, e.g. `aiojobs`:

```python
import aiojobs


async def on_startup(app) -> None:
    app["jobs"] = aiojobs.Scheduler(limit=100)  # on shutdown: await app["jobs"].close()


async def confirm_payment(app, payment_id: str) -> None:
    await app["jobs"].spawn(send_receipt(payment_id))
```""",
    migration=(
        "Without a library, keep tasks in a module-level `set`, add each new task to it with "
        "`task.add_done_callback(tasks.discard)` plus a callback that logs `task.exception()`, "
        "and cancel and await the set at shutdown. Better: create one `aiojobs.Scheduler` (or "
        "an anyio task group) at start-up, spawn through it, and close it in the shutdown hook "
        "so in-flight work finishes or is cancelled deliberately."
    ),
    libraries=("aiojobs", "anyio"),
    references=(
        "https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task",
        "https://docs.python.org/3/library/asyncio-task.html#task-groups",
        "https://aiojobs.readthedocs.io/en/stable/",
    ),
    practices=(Practice.TASK_SUPERVISION,),
)

_SPAWNERS = frozenset({"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task"})


def _spawns(node: ast.Call, ctx: FileContext) -> tuple[bool, Confidence | None]:
    """(True, a confidence override) when `node` starts a task on the event loop itself:
    not on a TaskGroup, an aiojobs scheduler or PTB's `Application.create_task`."""
    name = ctx.semantic.qualified_name(node.func)
    if name in _SPAWNERS:
        fresh = bool(node.args) and isinstance(node.args[0], ast.Call)
        return name != "asyncio.ensure_future" or fresh, None  # ensure_future(fut) wraps nothing
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "create_task"):
        return False, None
    receiver = func.value
    built = receiver.func if isinstance(receiver, ast.Call) else None
    kind = ctx.semantic.qualified_name(built) if built else origin(receiver, ctx.semantic)
    if kind in EVENT_LOOPS:
        return True, None
    named = (dotted_name(receiver) or "").rsplit(".", 1)[-1] in LOOP_NAMES
    return kind is None and named, Confidence.MEDIUM  # `self.loop`, `dp.loop`: by its name


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    spawns, confidence = _spawns(node, ctx)
    if not spawns:
        return
    text = call_label(node, None)
    parent = ctx.semantic.parent
    if isinstance(parent, ast.Expr):
        message = f"`{text}` result is discarded: the task may be garbage-collected mid-run"
        yield ctx.finding(node, message, confidence=confidence)
        return
    target: ast.expr | None = None
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
    elif isinstance(parent, ast.AnnAssign):
        target = parent.target
    function = ctx.semantic.enclosing_function()
    if not isinstance(target, ast.Name) or function is None:
        return
    if target.id in ctx.semantic.frame(function).names and not is_read(target.id, function):
        message = f"`{target.id} = {text}` is never used again: nothing keeps or awaits the task"
        yield ctx.finding(node, message, confidence=confidence)
