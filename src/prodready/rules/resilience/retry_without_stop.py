"""RES003: a retry policy with no limit: tenacity without `stop=`, backoff without max_*."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import (
    BACKOFF_RETRYERS,
    STAMINA_RETRYERS,
    TENACITY_RETRYERS,
    call_label,
    has_star_args,
    has_star_kwargs,
    is_none,
    keyword,
    tenacity_argument,
)

META = RuleMeta(
    id="RES003",
    name="retry-without-stop",
    title="Retry policy that never gives up",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "A tenacity `@retry` / `retry(...)` / `Retrying(...)` / `AsyncRetrying(...)` has no "
        "`stop=`, a `backoff.on_exception` / `on_predicate` has neither `max_tries` nor "
        "`max_time`, or a `stamina.retry` passes `attempts=None` and `timeout=None`: each of "
        "them retries forever."
    ),
    why=(
        "tenacity's default stop is `stop_never` and its default wait `wait_none()`: a bare "
        "`@retry` re-runs the call back to back until it succeeds. When the peer is down (an "
        "expired API key, a 4xx that will never pass, a provider outage) the handler never "
        "returns: it holds its DB session, connection-pool slot and the user's update, burns "
        "CPU, floods logs and the peer, and the error never reaches your error tracking. "
        "Telegram re-delivers the unanswered webhook and the pile of stuck handlers grows."
    ),
    fix="""Bound every retry in attempts and total time, retry only transient errors, back off
with jitter, and re-raise the last error:

```python
import httpx
import tenacity


@tenacity.retry(
    stop=tenacity.stop_after_attempt(4) | tenacity.stop_after_delay(20),
    wait=tenacity.wait_exponential_jitter(initial=0.5, max=8),
    retry=tenacity.retry_if_exception_type((httpx.TransportError, httpx.HTTPStatusError)),
    reraise=True,
)
async def fetch_rate(client: httpx.AsyncClient, url: str) -> dict:
    response = await client.get(url)
    response.raise_for_status()
    return response.json()
```

`stamina.retry(on=httpx.HTTPError, attempts=4, timeout=20)` gives the same with safe defaults;
with backoff pass `max_tries=` and/or `max_time=`.""",
    migration=(
        "Give each retried call a budget that fits its caller: a Telegram handler must answer "
        "within seconds, a background job may wait minutes. Keep the total below the caller's "
        "own timeout, set `reraise=True` so callers see the real exception (not `RetryError`), "
        "and restrict `retry=` to transient errors. A worker that must reconnect forever "
        "should say so with an explicit `stop=stop_never` and a capped exponential wait."
    ),
    libraries=("tenacity", "stamina", "backoff"),
    references=(
        "https://tenacity.readthedocs.io/en/latest/#stopping",
        "https://stamina.hynek.me/en/stable/api.html",
        "https://github.com/litl/backoff#readme",
    ),
    practices=(Practice.RETRY_BACKOFF,),
)


def _none(call: ast.Call, name: str, *, written: bool = False) -> bool:
    """`name=` is None: not written (unless `written` is required), or written as None."""
    found = keyword(call, name)
    return is_none(found.value) if found is not None else not written


def _message(node: ast.Call, name: str, label: str) -> str | None:
    if name in TENACITY_RETRYERS and tenacity_argument(node, "stop") is None:
        if tenacity_argument(node, "wait") is None:
            return f"`{label}` has neither `stop=` nor `wait=`: tenacity retries forever, at once"
        return f"`{label}` has no `stop=`: tenacity retries forever"
    if name in BACKOFF_RETRYERS and _none(node, "max_tries") and _none(node, "max_time"):
        return f"`{label}` has no `max_tries` or `max_time`: backoff retries forever"
    stamina = _none(node, "attempts", written=True) and _none(node, "timeout", written=True)
    if name in STAMINA_RETRYERS and stamina:  # stamina's own defaults are bounded
        return f"`{label}` with `attempts=None, timeout=None` retries forever"
    return None


@file_rule(META, on=(ast.Call, ast.FunctionDef, ast.AsyncFunctionDef))
def check(node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        for decorator in node.decorator_list:  # bare `@retry`; `@retry(...)` is a Call
            if ctx.semantic.qualified_name(decorator) == "tenacity.retry":
                text = f"`@{ast.unparse(decorator)}` without arguments: tenacity retries forever"
                yield ctx.finding(decorator, f"{text}, at once")
        return
    assert isinstance(node, ast.Call)
    name = ctx.semantic.qualified_name(node.func)
    if name is None or has_star_kwargs(node) or has_star_args(node):
        return
    message = _message(node, name, call_label(node, ctx.semantic.parent))
    if message is not None:
        yield ctx.finding(node, message)
