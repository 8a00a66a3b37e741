"""RES001: an aiohttp client session or request built without an explicit timeout."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import (
    HTTP_CLIENT_METHODS,
    has_star_kwargs,
    is_none,
    keyword,
    keyword_or_star,
)

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


def _session_name(ctx: FileContext) -> str | None:
    """The local name the session is bound to: `async with ClientSession() as s` / `s = ...`."""
    parent = ctx.semantic.parent
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _every_request_timed(ctx: FileContext) -> bool:
    """True when the function sends requests on the new session, each with its own
    `timeout=` (`session.get(url, timeout=ClientTimeout(total=5))`)."""
    name = _session_name(ctx)
    function = ctx.semantic.enclosing_function()
    if name is None or function is None:
        return False
    requests = [
        call
        for call in iter_body(function)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in HTTP_CLIENT_METHODS
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == name
    ]
    return bool(requests) and all(keyword_or_star(call, "timeout") for call in requests)


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    if name not in _TARGETS:
        return
    short = name.rsplit(".", 1)[-1]
    timeout = keyword(node, "timeout")
    if timeout is None:
        if has_star_kwargs(node) or _every_request_timed(ctx):
            return
        yield ctx.finding(node, f"`{short}()` has no `timeout=`; aiohttp's default total is 300 s")
    elif is_none(timeout.value):
        yield ctx.finding(node, f"`{short}(timeout=None)` falls back to the 300 s default")
