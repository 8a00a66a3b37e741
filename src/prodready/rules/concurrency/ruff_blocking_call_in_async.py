"""ASY101: blocking calls inside `async def`, as ruff's flake8-async rules find them."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="ASY101",
        name="blocking-call-in-async-function",
        title="Blocking call inside an async function",
        dimension=Dimension.CONCURRENCY,
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        what=(
            "An `async def` calls a blocking function: `time.sleep`, a synchronous HTTP client "
            "(`requests`, `urllib`, `httpx.Client`), `subprocess` / `os.system`, or `input()`. "
            "(Blocking file-system calls are ASY104, a lesser risk.)"
        ),
        why=(
            "The event loop runs every coroutine of the process on one thread. While a blocking "
            "call runs, no other update, request or heartbeat is served: one slow HTTP call in a "
            "handler freezes the whole bot, Telegram webhook requests time out and are redelivered "
            "(duplicate processing), and health checks fail so the orchestrator restarts the pod."
        ),
        fix="""Use the async equivalent, or move the blocking call to a worker thread:

```python
import asyncio

import anyio
import httpx

HTTP = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0))


async def rate(url: str) -> dict:
    response = await HTTP.get(url)  # instead of requests.get(url)
    response.raise_for_status()
    return response.json()


async def pause() -> None:
    await asyncio.sleep(1)  # instead of time.sleep(1)


async def read_report(path: anyio.Path) -> str:
    return await path.read_text()  # instead of open(path).read()
```

For CPU-bound or unavoidable sync code: `await asyncio.to_thread(fn, *args)` or
`await anyio.to_thread.run_sync(fn, *args)`.""",
        migration=(
            "Replace `requests` with one shared `httpx.AsyncClient` (or `aiohttp.ClientSession`) "
            "created at start-up and closed at shutdown; replace `time.sleep` with "
            "`asyncio.sleep`; wrap remaining sync libraries in `asyncio.to_thread`, keeping in "
            "mind the default thread pool has `min(32, cpu_count + 4)` workers."
        ),
        libraries=("httpx", "aiohttp", "anyio"),
        references=(
            "https://docs.astral.sh/ruff/rules/#flake8-async-async",
            "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
        ),
        upstream=(
            "ASYNC210",
            "ASYNC212",
            "ASYNC220",
            "ASYNC221",
            "ASYNC222",
            "ASYNC250",
            "ASYNC251",
        ),
    )
)
