"""ASY006: a threading lock held across an `await` in async code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.walk import iter_subtree
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="ASY006",
    name="thread-lock-held-across-await",
    title="threading lock held across an await",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "Inside an `async def`, a `threading.Lock` / `RLock` is held with `with lock:` while the "
        "block `await`s."
    ),
    why=(
        "While the coroutine is suspended at the `await`, another coroutine on the same event "
        "loop thread reaches `with lock:` and blocks the *thread* — and with it the whole event "
        "loop, including the coroutine that would release the lock. The service freezes "
        "(deadlock) under the first concurrent load, with no error."
    ),
    fix="""Use an asyncio lock in async code:

```python
import asyncio

RATES_LOCK = asyncio.Lock()


async def refresh_rates(client) -> None:
    async with RATES_LOCK:
        await client.fetch_rates()
```

Keep `threading.Lock` for data shared with real threads, and never `await` while holding it.""",
    migration=(
        "Replace the module's `threading.Lock()` with `asyncio.Lock()` and `with` with `async "
        "with`; if worker threads also use the data, hand results to the loop with "
        "`loop.call_soon_threadsafe` instead of sharing a lock."
    ),
    references=(
        "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock",
        "https://docs.python.org/3/library/asyncio-dev.html#concurrency-and-multithreading",
    ),
)

_THREAD_LOCKS = frozenset({"threading.Lock", "threading.RLock", "threading.Semaphore"})


def _is_thread_lock(expr: ast.expr, ctx: FileContext) -> bool:
    if isinstance(expr, ast.Call):
        return ctx.semantic.qualified_name(expr.func) in _THREAD_LOCKS
    if isinstance(expr, ast.Name):
        value = ctx.semantic.module_value(expr.id)
        return isinstance(value, ast.Call) and (
            ctx.semantic.qualified_name(value.func) in _THREAD_LOCKS
        )
    return False


def _awaits(statements: list[ast.stmt]) -> bool:
    """True when the statements suspend (await / async for / async with) in this scope."""
    suspends = ast.Await | ast.AsyncFor | ast.AsyncWith
    return any(
        isinstance(node, suspends)
        for statement in statements
        if not isinstance(statement, ast.AsyncFunctionDef)
        for node in iter_subtree(statement, same_scope=True)
    )


@file_rule(META, on=(ast.With,))
def check(node: ast.With, ctx: FileContext) -> Iterator[Finding]:
    if not ctx.semantic.in_async_function():
        return
    locks = [item.context_expr for item in node.items if _is_thread_lock(item.context_expr, ctx)]
    if locks and _awaits(node.body):
        shown = ast.unparse(locks[0])
        yield ctx.finding(node, f"`with {shown}:` holds a threading lock across `await`")
