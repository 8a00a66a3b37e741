"""ASY104: blocking file-system calls inside `async def`, as ruff's flake8-async rules find them."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="ASY104",
        name="blocking-file-io-in-async-function",
        title="Blocking file-system call inside an async function",
        dimension=Dimension.CONCURRENCY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what=(
            "An `async def` opens, reads or writes files with `open()`, or calls blocking "
            "`os.path` / `pathlib.Path` methods (`exists`, `read_text`, `write_bytes`, `mkdir`)."
        ),
        why=(
            "Local disk calls are usually fast, which is why this is minor — but they block the "
            "event loop for their whole duration: a large upload written in one call, a slow or "
            "network-mounted volume, or a full disk turns into seconds during which no other "
            "update or request is served."
        ),
        fix="""Use async file APIs, or run the blocking part in a worker thread:

```python
import asyncio

import anyio


async def save_upload(path: str, data: bytes) -> None:
    await anyio.Path(path).write_bytes(data)


async def load_report(path: str) -> str:
    return await asyncio.to_thread(_read_text, path)


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()
```""",
        migration=(
            "Replace `pathlib.Path` with `anyio.Path` in async code (same method names, awaited), "
            "and move bulk reads and writes to `asyncio.to_thread`; small one-off reads at "
            "start-up can stay synchronous."
        ),
        libraries=("anyio",),
        references=(
            "https://docs.astral.sh/ruff/rules/blocking-open-call-in-async-function/",
            "https://anyio.readthedocs.io/en/stable/fileio.html",
        ),
        upstream=("ASYNC230", "ASYNC240"),
    )
)
