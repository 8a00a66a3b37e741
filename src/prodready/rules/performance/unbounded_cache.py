"""PERF003: a module-level dict or set used as a cache, keyed per user, never evicted."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.caches import growing_caches
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="PERF003",
    name="unbounded-in-process-cache",
    title="In-process cache that grows without bound",
    dimension=Dimension.PERFORMANCE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A module-level dict or set named as a cache (`_cache`, `_memo`, `_seen`, "
        "`processed_ids`) gets an entry per user, chat, URL or id (`_cache[user_id] = ...`, "
        "`_seen.add(update_id)`) and nothing in the module ever removes entries: no `pop`, "
        "`del`, `clear()`, `popitem()`, size check or reassignment. Sync and async writers "
        "alike (ASY003, module state changed by async code, leaves caches to this rule)."
    ),
    why=(
        "Every new user adds an entry that stays until the process restarts, so memory grows "
        "with the audience and the uptime: a slow leak that ends in an OOM kill at peak "
        "traffic. Entries that carry a timestamp but are only overwritten, never deleted, "
        "stay after they expire. The cache also lives in one process: a second worker or "
        "replica sees other values."
    ),
    fix="""Bound the cache by size and age with a library, and never cache what must be current
(balances, subscription state, payment status):

```python
from cachetools import TTLCache

LANGUAGE_BY_USER: TTLCache[int, str] = TTLCache(maxsize=50_000, ttl=600)


def remember_language(user_id: int, language: str) -> None:
    LANGUAGE_BY_USER[user_id] = language  # old and excess entries are evicted
```

For coroutines, `async_lru.alru_cache(maxsize=..., ttl=...)`; for a cache shared by replicas,
Redis with `SET key value EX 600`.""",
    migration=(
        "Replace the dict with `cachetools.TTLCache` (or `LRUCache`) sized for the expected "
        "working set; guard it with a lock if several threads write. If several processes "
        "serve the bot, move the cache to Redis with an expiry. Add a metric for its size."
    ),
    libraries=("cachetools", "async-lru", "redis"),
    references=(
        "https://cachetools.readthedocs.io/en/latest/#cachetools.TTLCache",
        "https://github.com/aio-libs/async-lru",
    ),
    overlaps=("ASY003",),
)


@file_rule(META, on=(ast.Module,))
def check(node: ast.Module, ctx: FileContext) -> Iterator[Finding]:
    for cache in growing_caches(node, ctx.semantic.qualified_name):
        yield ctx.finding(
            cache.write,
            f"module-level {cache.kind} `{cache.name}` gets an entry per "
            f"`{ast.unparse(cache.key)[:30]}` and nothing ever removes one: it grows with "
            "every new user until a restart",
        )
