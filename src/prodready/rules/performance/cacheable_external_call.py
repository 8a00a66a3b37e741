"""PERF006: the same reference-data request sent again for every update or request."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.caches import fixed_expression, memoized, names_in
from prodready.analysis.project.effects import Effects
from prodready.analysis.revisit import current_function_name, walk_semantic
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.outbound import http_request_library, request_url

META = RuleMeta(
    id="PERF006",
    name="uncached-reference-data-request",
    title="Reference data fetched again for every update or request",
    dimension=Dimension.PERFORMANCE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A handler, route or middleware reaches a GET request whose URL and parameters do not "
        "depend on the update (literals, module constants, settings) and that fetches "
        "reference data — exchange rates, prices, tickers, public keys / JWKS, country or "
        "server lists — in a function with no cache (`alru_cache`, `cached`, a module-level "
        "cache it fills, a `fetched_at` / `expires_at` its class or module keeps)."
    ),
    why=(
        "Every user action pays a full round trip to the provider (often hundreds of ms), the "
        "provider's rate limit is spent on identical questions and answers 429 during a "
        "burst, and when it is down every handler that needs a rate fails although the "
        "answer from a minute ago would do. Do *not* cache what must be current for the "
        "user: balances, subscription state, payment status — read those fresh."
    ),
    fix="""Cache the answer for as long as it stays valid (here a minute), per process:

```python
import httpx
from async_lru import alru_cache

RATES_URL = "https://api.exchange.example/latest?base=USD"


@alru_cache(maxsize=1, ttl=60)
async def usd_rates(client: httpx.AsyncClient) -> dict[str, float]:
    response = await client.get(RATES_URL)
    response.raise_for_status()
    return response.json()["rates"]
```

With several replicas, cache in Redis (`SET rates <json> EX 60`) or refresh it from a
background job; `cachetools.TTLCache` does the same for synchronous code.""",
    migration=(
        "Wrap the fetching function with `alru_cache(ttl=...)` (pass the client from a "
        "long-lived holder so it is not part of the key), choose the TTL from how fast the "
        "data changes, and keep a stale copy to serve when the provider fails. Leave "
        "per-user and money-related reads uncached."
    ),
    libraries=("async-lru", "cachetools", "aiocache", "redis"),
    references=(
        "https://github.com/aio-libs/async-lru",
        "https://cachetools.readthedocs.io/en/latest/#cachetools.TTLCache",
    ),
)
_REFERENCE = re.compile(
    r"rate|price|ticker|currenc|exchange|course|kurs|coin|jwks|public.?key|well-known|"
    r"countr|locations|geo|tariff",
    re.I,
)


_CLIENTS = ("httpx", "aiohttp", "requests")
# What a request sends that can differ per user (a bearer token: per-user data).
_VARYING = frozenset({"params", "json", "data", "headers", "cookies", "auth"})
_REFRESH = ("update", "refresh", "sync", "reload")  # a refresh exists to fetch again


def _is_get(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "request" and call.args:
        first = call.args[0]
        return isinstance(first, ast.Constant) and str(first.value).upper() == "GET"
    return func.attr == "get"


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    paths = Effects(ctx.project).request_paths
    functions = ctx.project.calls.functions
    http = {f.path for f in ctx.project.facts if any(i.startswith(_CLIENTS) for i in f.imports)}
    files = sorted(
        functions[name].evidence.path
        for name in paths
        if functions[name].evidence.path in http
        and any(call.endswith((".get", ".request")) for call in functions[name].calls)
    )
    for path in dict.fromkeys(files):
        parsed = ctx.file(path)
        holders: dict[int, frozenset[str]] = {}
        for node in walk_semantic(parsed) if parsed is not None else ():
            if not isinstance(node, ast.Call) or parsed is None or not _is_get(node):
                continue
            function = parsed.semantic.enclosing_function()
            name = current_function_name(parsed)
            if function is None or name not in paths:
                continue
            url = request_url(node)
            params = [k.value for k in node.keywords if k.arg in _VARYING]
            words = f"{ast.unparse(url) if url is not None else ''} {function.name}"
            if (
                function.name.startswith(_REFRESH)
                or not _REFERENCE.search(words)
                or not all(fixed_expression(e, function) for e in (url, *params))
            ):
                continue
            holder = parsed.semantic.enclosing_class() or parsed.tree
            if id(holder) not in holders:
                holders[id(holder)] = names_in(holder)
            if memoized(function, holders[id(holder)]):
                continue
            if not http_request_library(node, parsed.semantic):
                continue
            entry = paths[name].rsplit(".", 1)[-1]
            yield ctx.finding(
                parsed,
                node,
                f"`{function.name}` fetches the same reference data "
                f"(`{ast.unparse(url)[:50] if url is not None else 'GET'}`) for every update "
                f"or request that reaches it (from `{entry}`), with no cache",
            )
