"""ASY002: an `async def` catches task cancellation and does not re-raise it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis import flow
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="ASY002",
    name="cancellation-swallowed",
    title="Task cancellation caught and not re-raised",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "Inside `async def`, an `except asyncio.CancelledError:` (or `except BaseException:`, a "
        "bare `except:`, a tuple holding CancelledError) around an `await` ends without `raise`."
    ),
    why=(
        "Cancellation is how asyncio stops work: `asyncio.timeout()` / `wait_for` turn it into "
        "`TimeoutError`, a `TaskGroup` cancels the siblings of a failed task, and shutdown "
        "(`asyncio.run`, aiogram, PTB, uvicorn) cancels tasks and waits for them. A coroutine "
        "that swallows `CancelledError` (a `BaseException` since 3.8) breaks all three: the "
        "timeout never fires and the code runs past its deadline, the group waits on a child "
        "that keeps going, and a loop that swallows it cannot be stopped, so the process hangs "
        "until it is killed and in-flight work is lost."
    ),
    fix="""Clean up, log if useful, then re-raise; handle ordinary errors with `except Exception`:

```python
import asyncio
import logging

log = logging.getLogger(__name__)


async def process_payments(queue: asyncio.Queue[str]) -> None:
    while True:
        payment_id = await queue.get()
        try:
            await confirm(payment_id)
        except asyncio.CancelledError:
            log.info("stopping; payment %s will be redelivered", payment_id)
            raise
        except Exception:
            log.exception("payment %s failed", payment_id)
```""",
    migration=(
        "Replace `except BaseException` / bare `except:` with `except Exception` (cancellation "
        "then passes through), move clean-up into `finally`, and end every `except "
        "CancelledError` with `raise`. To stop a task you own, `task.cancel()` then `await` it "
        "inside `except CancelledError: pass` (that idiom is not reported). With anyio, catch "
        "`anyio.get_cancelled_exc_class()` and re-raise it the same way."
    ),
    libraries=("anyio",),
    references=(
        "https://docs.python.org/3/library/asyncio-task.html#task-cancellation",
        "https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.CancelledError",
    ),
)

_CANCELLED = frozenset({"asyncio.CancelledError", "asyncio.exceptions.CancelledError"})


def _catches(handler: ast.ExceptHandler, ctx: FileContext) -> str | None:
    """ "CancelledError" / "BaseException" when the handler catches cancellation, else None."""
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {ctx.semantic.qualified_name(k) if k else "BaseException" for k in kinds}
    return "CancelledError" if names & _CANCELLED else next(iter(names & {"BaseException"}), None)


@file_rule(META, on=(ast.ExceptHandler,))
def check(node: ast.ExceptHandler, ctx: FileContext) -> Iterator[Finding]:
    caught = _catches(node, ctx)
    function = ctx.semantic.enclosing_function()
    statement = ctx.semantic.parent
    if caught is None or function is None or not ctx.semantic.in_async_function():
        return
    if function.name.startswith("test_"):
        return  # a test provoking cancellation on purpose
    if not isinstance(statement, ast.Try | ast.TryStar) or not flow.suspends(statement.body):
        return  # no await in the `try`: cancellation of this task cannot arrive there
    earlier = statement.handlers[: statement.handlers.index(node)]
    if caught == "BaseException" and any(_catches(h, ctx) == "CancelledError" for h in earlier):
        return
    again, other = flow.raises_in(node)
    if again or flow.raised_later(node, function) or flow.recancels(node.body):
        return  # re-raised now or later, or the cancellation state is managed on purpose
    if flow.awaits_cancelled(statement.body, function):
        return  # stopping a task it cancelled itself: `task.cancel(); await task`
    label = "bare `except:`" if node.type is None else f"`except {ast.unparse(node.type)}`"
    name, last = f"`{function.name}`", node.body[-1]
    breaks = isinstance(last, ast.Break)
    loops = any(isinstance(s, ast.While | ast.For | ast.AsyncFor) for s in statement.body)
    path = ctx.semantic.ancestors[:-1]
    ends = isinstance(last, ast.Return) or flow.runs_last(statement, path, leaves_loop=breaks)
    if other:
        message = f"{label} turns cancellation into another exception in {name}"
        yield ctx.finding(node, message, confidence=Confidence.LOW)
    elif ctx.semantic.in_loop() and not isinstance(last, ast.Return | ast.Break):
        message = f"{label} swallows cancellation: {name} keeps looping after being cancelled"
        yield ctx.finding(node, message, confidence=Confidence.HIGH)
    elif ends and function.name in flow.spawned_names(path[0]):
        return  # the end of a coroutine this module starts as a task: its own business
    elif ends and (breaks or loops):
        # the end of a worker loop, maybe started as a task elsewhere: usually deliberate
        message = f"{label} ends {name} quietly: its awaiter sees no cancellation"
        yield ctx.finding(node, message, confidence=Confidence.LOW)
    else:
        goes_on = "returns normally" if ends else "goes on"
        yield ctx.finding(node, f"{label} swallows cancellation: {name} {goes_on} when cancelled")
