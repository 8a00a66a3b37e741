"""ASY008: functools.lru_cache / cache on an `async def` caches the coroutine, not the result."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="ASY008",
    name="lru-cache-on-async-function",
    title="functools cache decorator on an async function",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what="`@functools.lru_cache` / `@functools.cache` decorates an `async def`.",
    why=(
        "Calling an `async def` returns a coroutine object; the decorator caches that object. "
        "The first caller awaits it; every later call with the same arguments gets the *same, "
        "already awaited* coroutine and fails with `RuntimeError: cannot reuse already awaited "
        "coroutine`. The feature works in a quick test and breaks on the second request in "
        "production."
    ),
    fix="""Use a cache made for coroutines, with a bound and a time to live:

```python
from async_lru import alru_cache


@alru_cache(maxsize=1024, ttl=300)
async def plan_price(plan_id: int) -> int:
    return await load_price(plan_id)
```

`aiocache` (`@cached(ttl=300)`) works too and can keep the cache in Redis, shared by every
worker. Do not cache balances or subscription state at all.""",
    migration=(
        "Swap the decorator for `async_lru.alru_cache` (same `maxsize` argument) and add a "
        "`ttl`; if several processes serve the bot, move the cache to Redis with aiocache."
    ),
    libraries=("async-lru", "aiocache"),
    references=(
        "https://docs.python.org/3/library/functools.html#functools.lru_cache",
        "https://github.com/aio-libs/async-lru",
    ),
)

_CACHES = frozenset({"functools.lru_cache", "functools.cache"})


@file_rule(META, on=(ast.AsyncFunctionDef,))
def check(node: ast.AsyncFunctionDef, ctx: FileContext) -> Iterator[Finding]:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ctx.semantic.qualified_name(target)
        if name in _CACHES:
            short = name.rsplit(".", 1)[-1]
            message = (
                f"`@{short}` on `async def {node.name}` caches a coroutine that can be awaited once"
            )
            yield ctx.finding(decorator, message)
