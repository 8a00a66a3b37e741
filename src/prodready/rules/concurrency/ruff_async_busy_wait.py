"""ASY102: a `while` loop that only sleeps, polling a condition, as ruff's ASYNC110 finds it."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="ASY102",
        name="async-busy-wait",
        title="Sleep-polling loop instead of waiting on an event",
        dimension=Dimension.CONCURRENCY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what=(
            "A `while` loop whose whole body is `await asyncio.sleep(...)` (or `anyio.sleep`, "
            "`trio.sleep`) polls a condition another task is expected to change: "
            "`while not ready: await asyncio.sleep(0.5)`. ruff also reports "
            "`while True: await asyncio.sleep(n)` used to keep a process alive. Loops that do "
            "work between sleeps (periodic jobs) are not reported."
        ),
        why=(
            "The waiter notices the change only at its next tick, so every hand-off costs up to "
            "one interval of latency (a user waits for the reply, shutdown waits for the flag), "
            "and shortening the interval wakes the event loop for nothing in every waiting "
            "coroutine. Worse, the flag is usually set by another task: if that task crashes or "
            "was never started, the loop spins forever with no timeout and no error, and the "
            "handler or startup step it guards hangs silently."
        ),
        fix="""Wait on an `asyncio.Event` (or `anyio.Event`) that the producer sets, with a timeout
so a producer that dies is an error instead of a hang:

```python
import asyncio

cache_ready = asyncio.Event()


async def warm_up_cache() -> None:
    ...  # load prices and settings
    cache_ready.set()


async def handle_prices(message) -> None:
    async with asyncio.timeout(10):
        await cache_ready.wait()
    await message.answer("Prices are up to date")
```

To hand over a value rather than a signal, use an `asyncio.Future` or an `asyncio.Queue`.""",
        migration=(
            "Find the code that sets the polled flag and replace the flag with an "
            "`asyncio.Event`: `set()` where the flag became true, `await event.wait()` (inside "
            "`asyncio.timeout`) where it was polled. A process that sleeps forever to stay "
            "alive should instead await its framework's runner (`await dp.start_polling(bot)`, "
            "`application.run_polling()`, uvicorn) or an event set by a signal handler, which "
            "also gives it a graceful shutdown. With anyio, `anyio.Event` works the same way "
            "under asyncio and trio."
        ),
        libraries=("anyio",),
        references=(
            "https://docs.astral.sh/ruff/rules/async-busy-wait/",
            "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Event",
        ),
        upstream=("ASYNC110",),
    )
)
