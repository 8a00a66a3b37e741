"""ASY009: `asyncio.run` / `run_until_complete` called from inside a running event loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="ASY009",
    name="event-loop-run-inside-async",
    title="asyncio.run or run_until_complete inside an async function",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "An `async def` calls `asyncio.run(...)` or `loop.run_until_complete(...)`, i.e. tries "
        "to start an event loop while one is already running."
    ),
    why=(
        "`asyncio.run` raises `RuntimeError: asyncio.run() cannot be called from a running "
        "event loop` and `run_until_complete` raises `This event loop is already running`. The "
        "handler fails on every call; code paths like this usually hide in rarely used admin "
        "commands and surface in production. Workarounds such as `nest_asyncio` re-enter the "
        "loop and break ordering and cancellation."
    ),
    fix="""Await the coroutine instead of starting a new loop:

```python
async def refresh_rates(client) -> dict:
    return await client.fetch_rates()
```

From synchronous code running in a worker thread, hand work to the main loop with
`asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=10)`.""",
    migration=(
        "Make the calling chain async up to the handler and `await` the coroutine; keep exactly "
        "one `asyncio.run(main())` at the program's entry point."
    ),
    references=(
        "https://docs.python.org/3/library/asyncio-runner.html#asyncio.run",
        "https://docs.python.org/3/library/asyncio-task.html#asyncio.run_coroutine_threadsafe",
    ),
)


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    if not ctx.semantic.in_async_function():
        return
    name = ctx.semantic.qualified_name(node.func)
    if name == "asyncio.run":
        yield ctx.finding(node, "`asyncio.run()` inside `async def` raises RuntimeError")
    elif isinstance(node.func, ast.Attribute) and node.func.attr == "run_until_complete":
        yield ctx.finding(node, "`run_until_complete()` inside `async def`: the loop is running")
