"""ASY003: a module-level mutable container used as state by async handlers."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import (
    keyword,
    mutable_container_kind,
    mutated_name,
    removed_name,
)

META = RuleMeta(
    id="ASY003",
    name="module-state-mutated-in-async",
    title="Module-level mutable state changed by async code",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "A module-level `dict` / `list` / `set` (or a `global` variable) is changed from inside an "
        "`async def`: per-user states, carts, pending payments, rate counters kept in memory."
    ),
    why=(
        "The state lives in one process: a restart or deploy loses it (users stuck half-way "
        "through a purchase), a second worker or replica never sees it (webhooks spread over "
        "instances behave randomly), nothing bounds its growth (a slow memory leak), and "
        "coroutines interleave at every `await`, so check-then-update sequences on it race."
    ),
    fix="""Keep state in a shared store with expiry: aiogram FSM storage, Redis, or the database:

```python
from aiogram.fsm.context import FSMContext


async def choose_plan(message, state: FSMContext) -> None:
    await state.update_data(plan="month")  # RedisStorage: survives restarts, shared
```

```python
from cachetools import TTLCache

RECENT = TTLCache(maxsize=10_000, ttl=300)  # a bounded, expiring per-process cache
```""",
    migration=(
        "Configure `Dispatcher(storage=RedisStorage.from_url(...))` and move per-user data into "
        "FSM data or a Redis hash with a TTL; keep money and subscription state only in the "
        "database. A purely local cache may stay in memory if it is bounded (`TTLCache`)."
    ),
    libraries=("redis", "aiogram", "cachetools"),
    references=(
        "https://docs.aiogram.dev/en/latest/dispatcher/finite_state_machine/storages.html",
        "https://cachetools.readthedocs.io/en/latest/#cachetools.TTLCache",
    ),
)


def _module_state(name: str, ctx: FileContext) -> str | None:
    value = ctx.semantic.module_value(name)
    if value is None:
        return None
    kind = mutable_container_kind(value, ctx.semantic.qualified_name)
    if kind == "deque" and isinstance(value, ast.Call) and keyword(value, "maxlen") is not None:
        return None
    return kind


# Per-process by design, not state: caches (rebuilt after a restart) and registries of the
# process's own tasks and workers (keeping task references is what ASY001 asks for).
_BY_DESIGN = re.compile(r"cache|task|worker|local", re.IGNORECASE)
# Functions that set the process up (or down): what they fill is configuration, not state.
_LIFECYCLE = re.compile(r"(^|_)(init|initialize|setup|startup|start_up|on_start|lifespan|shutdown)")


def _state_change(
    inner: ast.AST, ctx: FileContext, local: set[str], declared_global: set[str]
) -> tuple[str, str] | None:
    """(name, kind) when `inner` changes module-level state in place or rebinds a global."""
    name = mutated_name(inner)
    if name is not None:
        if (name in local and name not in declared_global) or _BY_DESIGN.search(name):
            return None
        kind = _module_state(name, ctx)
        return (name, kind) if kind else None
    if declared_global and isinstance(inner, ast.AugAssign):
        # `counter += 1` accumulates; a plain `x = value` records the latest value (a flag,
        # a timestamp, a lazily built client), which each process may well keep for itself
        rebound = inner.target.id if isinstance(inner.target, ast.Name) else ""
        if rebound in declared_global and ctx.semantic.module_value(rebound) is not None:
            return rebound, "global"
    return None


@file_rule(META, on=(ast.AsyncFunctionDef,))
def check(node: ast.AsyncFunctionDef, ctx: FileContext) -> Iterator[Finding]:
    if _LIFECYCLE.search(node.name):
        return
    body = list(iter_body(node))
    declared_global = {name for n in body if isinstance(n, ast.Global) for name in n.names}
    local = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
    local |= {n.id for n in body if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    reported: set[str] = set()
    removed = {name for n in body if (name := removed_name(n))}
    for inner in body:
        change = _state_change(inner, ctx, local, declared_global)
        if change is None or change[0] in reported:
            continue
        name, kind = change
        reported.add(name)
        growth = "" if kind == "global" or name in removed else ", grows without bound"
        yield ctx.finding(
            inner,
            f"module-level {kind} `{name}` is changed in `async def {node.name}`: lost on "
            f"restart, not shared between workers{growth}",
        )
