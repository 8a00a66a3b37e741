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
    title="Retry that does not back off between attempts",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A tenacity retry has a `stop=` but no `wait=` (tenacity's default is `wait_none()`: "
        "the next attempt starts immediately), an explicit `wait_none()`, or a constant "
        "`wait_fixed(...)` shorter than a second."
    ),
    why=(
        "Transient failures (a restarting peer, a full pool, HTTP 429/503) outlast a few "
        "milliseconds: immediate retries fail the same way and multiply the load on a service "
        "already struggling — a retry storm turns a blip into an outage. Telegram answers such "
        "bursts with 429 and `retry_after`."
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

`wait_random_exponential` works as well; `stamina.retry` backs off with jitter by default.""",
    migration=(
        "Use `wait_exponential_jitter(initial=..., max=...)` everywhere, including where a "
        "constant `wait_fixed` is used (constant waits keep clients in lockstep); keep the "
        "total wait inside the caller's budget with `stop_after_delay`, and honour a server's "
        "`Retry-After` / Telegram's `retry_after`. Immediate retries are only right for "
        "optimistic-lock or serialization conflicts that a second attempt resolves at once."
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


def _argument(node: ast.Call, name: str, ctx: FileContext) -> ast.expr | None:
    value = tenacity_argument(node, name)
    if isinstance(value, ast.Name):
        return ctx.semantic.module_value(value.id) or value
    return value


def _single_attempt(stop: ast.expr, ctx: FileContext) -> bool:
    """`stop_after_attempt(1)`: one attempt, no retry, nothing to wait for."""
    first = stop.args[0] if isinstance(stop, ast.Call) and stop.args else None
    attempts = first.value if isinstance(first, ast.Constant) else None
    named = ctx.semantic.qualified_name(getattr(stop, "func", stop)) or ""
    return named.endswith("stop_after_attempt") and isinstance(attempts, int) and attempts <= 1


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    if name not in TENACITY_RETRYERS or has_star_kwargs(node) or has_star_args(node):
        return
    stop = _argument(node, "stop", ctx)
    if stop is None or _single_attempt(stop, ctx):
        return  # no stop: RES003 reports it (and the missing wait); one attempt: no retries
    label = call_label(node, ctx.semantic.parent)
    wait = _argument(node, "wait", ctx)
    waited = ctx.semantic.qualified_name(wait.func) if isinstance(wait, ast.Call) else None
    condition = tenacity_argument(node, "retry")
    low = Confidence.LOW if condition and _CONFLICTS.search(ast.unparse(condition)) else None
    if wait is None or waited in _NO_WAIT:
        how = "has no `wait=`" if wait is None else "waits `wait_none()`"
        message = f"`{label}` {how}: tenacity retries immediately, with no backoff"
        yield ctx.finding(node, message, confidence=low)
    elif waited in _FIXED and isinstance(wait, ast.Call) and _seconds(wait.args[:1]) < 1:
        message = f"`{label}` waits only `{ast.unparse(wait)}`: near-immediate retries, no backoff"
        yield ctx.finding(node, message, confidence=low)


def _seconds(values: list[ast.expr]) -> float:
    """The constant number of seconds given; infinity when not a plain number (not judged)."""
    number = values[0].value if values and isinstance(values[0], ast.Constant) else None
    return float(number) if isinstance(number, int | float) else float("inf")
