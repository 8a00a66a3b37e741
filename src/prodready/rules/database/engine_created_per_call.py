"""DB004: an engine, pool or connection created by code that runs per update or request."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.dataflow import closes_something, stored_for_reuse
from prodready.analysis.names import dotted_name
from prodready.analysis.revisit import function_at
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB004",
    name="engine-created-per-call",
    title="Database engine or pool created per update or request",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "`create_async_engine(...)`, `create_engine(...)`, `asyncpg.create_pool(...)` or "
        "`asyncpg.connect(...)` is called inside a bot handler, an HTTP route or a middleware, or "
        "in a project function they call, so it runs again for every update or request."
    ),
    why=(
        "Every engine owns a connection pool (5 + 10 connections by default) and every asyncpg "
        "pool opens 10 connections; created per request and never disposed they pile up until "
        "PostgreSQL refuses new clients (`too many clients already`, max_connections is 100 by "
        "default) and the whole service goes down. Even a single `connect()` per call pays a TCP "
        "+ TLS + auth handshake on every update and has no upper bound under a burst."
    ),
    fix="""Create the engine (or pool) once at start-up and share it; close it on shutdown:

```python
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

engine = create_async_engine("postgresql+asyncpg://app@db/app", pool_pre_ping=True)
Session = async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def lifespan(app: FastAPI):
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)  # routes use `async with Session() as session:`
```""",
    migration=(
        "Build the engine / pool in one module (or in the FastAPI lifespan / aiogram "
        "`dp.startup` hook), keep the `async_sessionmaker` next to it, and pass sessions to "
        "handlers through a middleware or a dependency (`Depends(get_session)`). Dispose the "
        "engine (`await engine.dispose()`) or close the pool on shutdown. Size the pool for "
        "the number of workers times `pool_size + max_overflow` below the server's limit."
    ),
    libraries=("sqlalchemy", "asyncpg"),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/connections.html#basic-usage",
        "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html#synopsis-orm",
        "https://magicstack.github.io/asyncpg/current/usage.html#connection-pools",
    ),
)

_ENGINE = "an engine with its own pool"
_BUILDERS = {"create_async_engine": _ENGINE, "create_engine": _ENGINE}
_BUILDERS |= {"create_pool": "a pool of connections", "connect": "a new connection"}
_LIBRARIES = ("sqlalchemy.", "asyncpg.", "sqlmodel.")
_CACHES = frozenset({"cache", "lru_cache", "alru_cache", "cached", "singleton"})
_PER_CALL_HOOKS = frozenset({"middleware"})


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _builder(name: str) -> str | None:
    return _last(name) if name.startswith(_LIBRARIES) and _last(name) in _BUILDERS else None


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    model, calls = ctx.project.model, ctx.project.calls
    once = {h.function for h in model.hooks if h.kind not in _PER_CALL_HOOKS}
    once |= {f for f, i in calls.functions.items() if _CACHES & {_last(d) for d in i.decorators}}
    entries = [h.function for h in model.handlers] + [r.function for r in model.routes]
    entries += [h.function for h in model.hooks if h.kind in _PER_CALL_HOOKS]
    reached: dict[str, str] = {}
    for entry in dict.fromkeys(entries):
        for name in calls.reachable(entry, depth=3):
            reached.setdefault(name, entry)
    for name, entry in sorted(reached.items()):
        info = calls.functions.get(name)
        if info is None or name in once or not any(_builder(c) for c in info.calls):
            continue
        parsed = ctx.file(info.evidence.path)
        function = function_at(parsed, info.evidence.line) if parsed is not None else None
        if parsed is None or function is None:
            continue
        for node in iter_body(function):
            if not isinstance(node, ast.Call):
                continue
            built = _builder(parsed.semantic.imports.qualified_name(node.func) or "")
            if built is None or stored_for_reuse(function, node):
                continue
            via = "" if name == entry else f" (reached from `{_last(entry)}`)"
            closed = built == "connect" or closes_something(function)
            yield ctx.finding(
                parsed,
                node,
                f"`{dotted_name(node.func)}()` builds {_BUILDERS[built]} on every call of "
                f"`{_last(name)}`{via}",
                severity=Severity.MAJOR if closed else None,
            )
