"""RES004: a bounded tenacity retry that waits nothing (or a constant) between attempts."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import (
    TENACITY_RETRYERS,
    call_label,
    has_star_args,
    has_star_kwargs,
    tenacity_argument,
)

META = RuleMeta(
    id="RES004",
    name="retry-without-backoff",
    title="Retry without exponential backoff and jitter",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A tenacity retry has a `stop=` but no `wait=` (tenacity's default is `wait_none()`: "
        "the next attempt starts immediately), an explicit `wait_none()`, or a constant "
        "`wait_fixed(...)` with no jitter."
    ),
    why=(
        "Most transient failures (a restarting peer, a full connection pool, HTTP 429/503) last "
        "longer than a few milliseconds: immediate retries all fail the same way and only "
        "multiply the load on a service that is already struggling — a retry storm that turns "
        "a short blip into an outage. Constant waits keep every client in lockstep, so they "
        "all come back at the same moment, and never give a longer outage more room. Telegram "
        "answers such bursts with 429 and `retry_after`."
    ),
    fix="""Wait exponentially longer between attempts, with random jitter:

```python
import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter


@retry(
    stop=stop_after_attempt(4),
    wait=wait_exponential_jitter(initial=0.5, max=10),
    retry=retry_if_exception_type(httpx.TransportError),
    reraise=True,
)
async def fetch_profile(client: httpx.AsyncClient, user_id: int) -> dict:
    response = await client.get(f"/users/{user_id}")
    response.raise_for_status()
    return response.json()
```

`wait_random_exponential(multiplier=0.5, max=10)` ("full jitter") works as well; `stamina.retry`
backs off with jitter by default.""",
    migration=(
        "Replace `wait_fixed(n)` with `wait_exponential_jitter(initial=n, max=...)` (or add "
        "jitter: `wait_fixed(n) + wait_random(0, n)`), keep the total wait inside the caller's "
        "budget with `stop_after_delay`, and honour a server's `Retry-After` / Telegram's "
        "`retry_after` when it gives one. Immediate retries are only right for optimistic-lock "
        "or serialization conflicts that a second attempt resolves at once."
    ),
    libraries=("tenacity", "stamina"),
    references=(
        "https://tenacity.readthedocs.io/en/latest/#waiting-before-retrying",
        "https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/",
    ),
    practices=(Practice.RETRY_BACKOFF,),
)

_NO_WAIT = frozenset({"tenacity.wait_none", "tenacity.wait.wait_none"})
_FIXED = frozenset({"tenacity.wait_fixed", "tenacity.wait.wait_fixed"})
# Conflicts a second attempt resolves at once: retrying them immediately is the norm.
_CONFLICTS = re.compile(r"Deadlock|Serializ|StaleData|Conflict|IntegrityError|LockNotAvailable")


def _wait_of(node: ast.Call, ctx: FileContext) -> ast.expr | None:
    wait = tenacity_argument(node, "wait")
    if isinstance(wait, ast.Name):
        return ctx.semantic.module_value(wait.id) or wait
    return wait


def _retries_conflicts(node: ast.Call) -> bool:
    condition = tenacity_argument(node, "retry")
    return condition is not None and bool(_CONFLICTS.search(ast.unparse(condition)))


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    if name not in TENACITY_RETRYERS or has_star_kwargs(node) or has_star_args(node):
        return
    if tenacity_argument(node, "stop") is None:
        return  # RES003 reports it, mentioning the missing wait too
    label = call_label(node, ctx.semantic.parent)
    wait = _wait_of(node, ctx)
    waited = ctx.semantic.qualified_name(wait.func) if isinstance(wait, ast.Call) else None
    low = Confidence.LOW if _retries_conflicts(node) else None
    if wait is None or waited in _NO_WAIT:
        how = "has no `wait=`" if wait is None else "waits `wait_none()`"
        message = f"`{label}` {how}: tenacity retries immediately, with no backoff"
        yield ctx.finding(node, message, confidence=low)
    elif waited in _FIXED:
        yield ctx.finding(
            node,
            f"`{label}` waits a constant `{ast.unparse(wait)}`: no backoff, no jitter",
            confidence=Confidence.LOW,
            severity=Severity.MINOR,
        )
