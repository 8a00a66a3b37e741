"""PERF003: a module-level dict or set used as a cache, keyed per user, never evicted."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.walk import walk_with_ancestors
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import mutable_container_kind

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
        "`del`, `clear()`, `popitem()`, size check or reassignment. Caches written inside "
        "`async def` are ASY003's (module state changed by async code)."
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
_CACHE_NAME = re.compile(r"cache|memo|seen|processed|dedup", re.I)
_PER_ITEM = re.compile(
    r"(^|_)(id|ids|user|users|chat|tg|telegram|url|token|query|hash|ip|email|phone|uuid)($|_)|_id$|Id$",
    re.I,
)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_EVICTING = frozenset({"pop", "popitem", "clear", "discard", "remove", "difference_update"})


def _caches(tree: ast.Module, ctx: FileContext) -> dict[str, str]:
    found: dict[str, str] = {}
    for statement in tree.body:
        target = (
            statement.targets[0]
            if isinstance(statement, ast.Assign)
            else getattr(statement, "target", None)
        )
        value = getattr(statement, "value", None)
        if isinstance(target, ast.Name) and value is not None and _CACHE_NAME.search(target.id):
            kind = mutable_container_kind(value, ctx.semantic.qualified_name)
            if kind in {"dict", "set"}:
                found[target.id] = kind
    return found


def _key(node: ast.AST) -> ast.AST | None:
    """The key an entry is stored under: `name[key] = v`, `name.add(key)`, `setdefault(key)`."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
        return node.slice
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        return node.args[0] if node.func.attr in {"add", "setdefault"} else None
    return None


def _owner(node: ast.AST) -> str | None:
    target = node.value if isinstance(node, ast.Subscript) else getattr(node, "func", None)
    target = target.value if isinstance(target, ast.Attribute) else target
    return target.id if isinstance(target, ast.Name) else None


def _per_item(key: ast.AST) -> bool:
    return any(
        _PER_ITEM.search(dotted_name(n) or "")
        for n in ast.walk(key)
        if isinstance(n, ast.Name | ast.Attribute)
    )


def _evicts(inner: ast.AST, caches: dict[str, str]) -> set[str]:
    """Caches `inner` removes entries from, resets or measures (`len(cache) > N`)."""
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
        owner = _owner(inner)
        return {owner} if inner.func.attr in _EVICTING and owner in caches else set()
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "len":
        return {a.id for a in inner.args if isinstance(a, ast.Name)}
    if isinstance(inner, ast.Global):
        return set(inner.names)  # rebound inside a function: reset
    if isinstance(inner, ast.Delete):
        return {n for n in (_owner(t) for t in inner.targets) if n}
    return set()


@file_rule(META, on=(ast.Module,))
def check(node: ast.Module, ctx: FileContext) -> Iterator[Finding]:
    caches = _caches(node, ctx)
    if not caches:
        return
    writes: dict[str, tuple[ast.AST, ast.AST]] = {}
    evicted: set[str] = set()
    ancestors: list[ast.AST] = []
    for inner in walk_with_ancestors(node, ancestors):
        evicted |= _evicts(inner, caches)
        key = _key(inner)
        name = _owner(inner) if key is not None else None
        if name not in caches or key is None or name is None:
            continue
        scope = next((a for a in reversed(ancestors) if isinstance(a, _SCOPES)), None)
        if isinstance(scope, ast.AsyncFunctionDef):
            evicted.add(name)  # written in async code: ASY003 reports this state
        elif _per_item(key):
            writes.setdefault(name, (inner, key))
    for name, (write, key) in writes.items():
        if name not in evicted:
            yield ctx.finding(
                write,
                f"module-level {caches[name]} `{name}` gets an entry per "
                f"`{ast.unparse(key)[:30]}` and nothing ever removes one: it grows with "
                "every new user until a restart",
            )
