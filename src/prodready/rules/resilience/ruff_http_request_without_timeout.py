"""RES101: `requests` / `httpx` calls that can wait forever, as ruff's S113 finds them."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="RES101",
        name="http-request-without-timeout",
        title="HTTP call without a timeout",
        dimension=Dimension.RESILIENCE,
        severity=Severity.MAJOR,
        confidence=Confidence.HIGH,
        what=(
            "A `requests` call (`requests.get/post/...`, `requests.request`) has no `timeout=` "
            "or passes `timeout=None`; or an `httpx` call or client (`httpx.get`, "
            "`httpx.Client`, `httpx.AsyncClient`) passes `timeout=None`, which switches off "
            "httpx's default 5 s connect/read/write/pool timeouts. (ruff checks the module-level "
            "functions and clients, not methods of an existing `requests.Session`.)"
        ),
        why=(
            "`requests` has no timeout at all by default. A payment provider, a currency-rate "
            "API or a partner webhook that accepts the connection and never answers holds the "
            "call forever: in a sync FastAPI endpoint or job, the worker thread is lost for good "
            "(AnyIO's shared pool has 40 threads, so a few hung calls stall every sync endpoint); "
            "in a bot handler the update never completes and Telegram redelivers webhook "
            "updates it gave up on. With `httpx` and `timeout=None` even the connection-pool "
            "wait is unbounded, so once the pool is full of hung requests every other outbound "
            "call queues behind them: one slow dependency becomes a full outage."
        ),
        fix="""Give every outbound call a bounded time, set once on a shared client, and retry
transient failures with a library (the retry sits outside the timeout, so the total is bounded):

```python
import httpx
import stamina

# one client for the process: created at start-up, closed at shutdown
HTTP = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0))


@stamina.retry(on=httpx.TransportError, attempts=3, timeout=30.0)
async def fetch_rates(base: str) -> dict:
    response = await HTTP.get("https://rates.example.org/latest", params={"base": base})
    response.raise_for_status()
    return response.json()
```

In sync code that must keep `requests`, pass `(connect, read)` on every call:
`requests.get(url, timeout=(3.05, 10))`.""",
        migration=(
            "Choose a budget per dependency (connect about 3 s; read: the provider's documented "
            "p99 plus a margin, well below your own request or handler deadline). In async code "
            "move to one `httpx.AsyncClient(timeout=httpx.Timeout(...))` per service, created in "
            "the lifespan / startup hook and closed at shutdown; an explicit per-call `timeout=` "
            "overrides it where an endpoint is known to be slow. A `requests.Session` has no "
            "session-wide timeout, so sync code must pass `timeout=` on each call (ruff does not "
            "check session methods: grep for them). Add retries with `stamina` or `tenacity` "
            "(`stop_after_attempt` + `wait_exponential_jitter`) only for idempotent calls."
        ),
        libraries=("httpx", "stamina", "tenacity"),
        references=(
            "https://docs.astral.sh/ruff/rules/request-without-timeout/",
            "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
            "https://www.python-httpx.org/advanced/timeouts/",
        ),
        upstream=("S113",),
    )
)
