"""RES001: an aiohttp client session or request built without an explicit timeout."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import has_star_kwargs, is_none, keyword

META = RuleMeta(
    id="RES001",
    name="aiohttp-session-without-timeout",
    title="aiohttp client without an explicit timeout",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "An `aiohttp.ClientSession(...)` or `aiohttp.request(...)` is created without "
        "`timeout=aiohttp.ClientTimeout(...)`, or with `timeout=None`."
    ),
    why=(
        "aiohttp's default is `ClientTimeout(total=300, sock_connect=30)`: a slow or hung peer "
        "holds the calling handler, its connection-pool slot and any DB session it keeps open "
        "for up to five minutes. Under load the pool (100 connections by default) fills, every "
        "request queues behind the stuck ones and the outage of one provider becomes yours."
    ),
    fix="""Set a timeout budget on the session that fits the call (and per request where needed):

```python
import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=10, connect=3, sock_read=5)

async def make_client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=TIMEOUT)
```

Pair it with retries with backoff (`tenacity` or `stamina`) for idempotent calls.""",
    migration=(
        "Create the session once at start-up (lifespan / `on_startup`) with a `ClientTimeout`, "
        "pass it where it is needed, and close it on shutdown. Choose `total` from the peer's "
        "p99 latency plus margin; keep it below your own caller's timeout (Telegram waits about "
        "60 s for a webhook answer)."
    ),
    libraries=("aiohttp", "tenacity", "stamina"),
    references=(
        "https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts",
        "https://docs.aiohttp.org/en/stable/client_reference.html#aiohttp.ClientTimeout",
    ),
)

_TARGETS = frozenset({"aiohttp.ClientSession", "aiohttp.client.ClientSession", "aiohttp.request"})


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    if name not in _TARGETS:
        return
    short = name.rsplit(".", 1)[-1]
    timeout = keyword(node, "timeout")
    if timeout is None:
        if has_star_kwargs(node):
            return
        yield ctx.finding(node, f"`{short}()` has no `timeout=`; aiohttp's default total is 300 s")
    elif is_none(timeout.value):
        yield ctx.finding(node, f"`{short}(timeout=None)` falls back to the 300 s default")
