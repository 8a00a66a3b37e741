"""ASY007: one coroutine per item of a collection gathered at once, with no bound."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="ASY007",
    name="unbounded-gather",
    title="Unbounded fan-out with asyncio.gather over a collection",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "`asyncio.gather(*(f(x) for x in items))` starts one coroutine per item of a collection "
        "at once, with no semaphore, limiter or batch size in sight."
    ),
    why=(
        "The collection grows with your users: a broadcast to 50,000 chats opens 50,000 requests "
        "at once — Telegram answers 429 (about 30 messages/s are allowed overall), the HTTP pool "
        "(100 connections) queues the rest until they time out, memory spikes and the database "
        "pool is exhausted if each coroutine takes a session."
    ),
    fix="""Bound the concurrency, and pace calls to rate-limited APIs:

```python
import asyncio

from aiolimiter import AsyncLimiter

TELEGRAM = AsyncLimiter(25, 1)  # at most 25 sends per second
SLOTS = asyncio.Semaphore(10)


async def send_one(bot, chat_id: int, text: str) -> None:
    async with SLOTS, TELEGRAM:
        await bot.send_message(chat_id, text)


async def broadcast(bot, chat_ids: list[int], text: str) -> None:
    async with asyncio.TaskGroup() as group:
        for chat_id in chat_ids:
            group.create_task(send_one(bot, chat_id, text))
```

For very large collections process them in batches (or from a queue with N workers) so that
not every task object exists at once.""",
    migration=(
        "Wrap the per-item coroutine in a function that acquires a shared `asyncio.Semaphore` "
        "(and an `aiolimiter.AsyncLimiter` for Telegram or partner APIs); for broadcasts move the "
        "work to a background queue (arq, taskiq) that persists progress."
    ),
    libraries=("aiolimiter", "arq", "taskiq"),
    references=(
        "https://docs.python.org/3/library/asyncio-task.html#asyncio.gather",
        "https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this",
    ),
)

#: Methods that start or stop a component: `gather(*[w.stop() for w in self._workers])` fans out
#: over the service's own fixed set of parts, not over data that grows.
_LIFECYCLE = frozenset(
    {"start", "stop", "close", "aclose", "shutdown", "cancel", "wait_closed", "connect"}
)
_BOUNDS = ("Semaphore", "AsyncLimiter", "CapacityLimiter", "Limiter", "limiter", "semaphore")


def _unbounded_source(node: ast.expr) -> ast.comprehension | None:
    """The comprehension of `*(f(x) for x in xs)` / `*[f(x) for x in xs]` over a variable."""
    if not isinstance(node, ast.Starred):
        return None
    inner = node.value
    if not isinstance(inner, ast.GeneratorExp | ast.ListComp) or len(inner.generators) != 1:
        return None
    source = inner.generators[0]
    iterable = source.iter
    if isinstance(iterable, ast.List | ast.Tuple | ast.Set | ast.Constant):
        return None
    constant_range = (
        isinstance(iterable, ast.Call)
        and dotted_name(iterable.func) == "range"
        and all(isinstance(arg, ast.Constant) for arg in iterable.args)
    )
    if constant_range:
        return None
    if not isinstance(inner.elt, ast.Call):
        return None
    return None if _lifecycle_call(inner.elt, source.target) else source


def _lifecycle_call(call: ast.Call, target: ast.expr) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or not isinstance(target, ast.Name):
        return False
    return func.attr in _LIFECYCLE and dotted_name(func.value) == target.id


def _bounded_nearby(ctx: FileContext) -> bool:
    """True when the enclosing function or the module mentions a semaphore or limiter."""
    function = ctx.semantic.enclosing_function()
    nodes = list(iter_body(function)) if function is not None else []
    names = [dotted_name(n) or "" for n in nodes if isinstance(n, ast.Name | ast.Attribute)]
    names += list(ctx.semantic.imports.bindings.values())
    return any(bound in name for name in names for bound in _BOUNDS)


def _a_batch(iterable: ast.expr, ctx: FileContext) -> bool:
    """A slice of a bigger collection (`batch = ids[i : i + SIZE]`), gathered batch by batch."""
    if isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice):
        return True
    name = iterable.id if isinstance(iterable, ast.Name) else ""
    function = ctx.semantic.enclosing_function()
    return any(
        isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Subscript)
        and isinstance(n.value.slice, ast.Slice)
        and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
        for n in (iter_body(function) if function is not None and name else ())
    )


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    if ctx.semantic.qualified_name(node.func) != "asyncio.gather" or len(node.args) != 1:
        return
    source = _unbounded_source(node.args[0])
    if source is None or _bounded_nearby(ctx) or _a_batch(source.iter, ctx):
        return
    shown = ast.unparse(source.iter)[:40]
    yield ctx.finding(node, f"`gather` starts one coroutine per item of `{shown}` at once")
