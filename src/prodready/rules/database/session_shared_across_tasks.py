"""DB006: one session or connection handed to coroutines that run concurrently."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.bindings import origin
from prodready.analysis.dataflow import target_names
from prodready.analysis.loops import bound_per_item, nearest_loop
from prodready.analysis.orm import local_assignments
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB006",
    name="session-shared-across-tasks",
    title="One database session used by concurrent tasks",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "The same `AsyncSession` (or asyncpg connection) is passed to several coroutines that "
        "run at the same time: `asyncio.gather(load_a(session), load_b(session))`, "
        "`gather(*[work(session, x) for x in items])`, or `create_task(work(session, x))` in a "
        "loop or a `TaskGroup`."
    ),
    why=(
        "A session wraps one connection and one transaction and is not safe for concurrent "
        "tasks: the second query starts while the first runs, asyncpg raises `InterfaceError: "
        "cannot perform operation: another operation is in progress` (SQLAlchemy: "
        "`IllegalStateChangeError`), or the tasks flush each other's half-done changes. It "
        "passes tests against a fast local database and fails under production latency."
    ),
    fix="""Give every concurrent task its own session from the factory (or run them one by one):

```python
import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.models import Order, User


async def count(factory: async_sessionmaker, model: type) -> int:
    async with factory() as session:  # one session per task
        return await session.scalar(select(func.count()).select_from(model))


async def dashboard(factory: async_sessionmaker) -> list[int]:
    return await asyncio.gather(count(factory, User), count(factory, Order))
```""",
    migration=(
        "Pass the `async_sessionmaker` (not a session) to code that fans out and open one "
        "session per task, bounded by a semaphore below the pool size; where the work must share "
        "one transaction, run it sequentially. With asyncpg, `async with pool.acquire()` per task."
    ),
    libraries=("sqlalchemy", "asyncpg"),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html#using-asyncsession-with-concurrent-tasks",
        "https://magicstack.github.io/asyncpg/current/api/index.html#connection-pools",
    ),
)

_SHARED_NAME = re.compile(r"^_*(db_?|async_?)?(session|sess|db|conn|connection|con|tx)$", re.I)
_SAFE = frozenset({"Pool", "create_pool", "AsyncEngine", "async_sessionmaker", "sessionmaker"})
_MANY = (ast.ListComp, ast.GeneratorExp, ast.SetComp)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_SPAWN = frozenset({"create_task", "ensure_future", "start_soon"})


def _sessions(call: ast.AST, ctx: FileContext) -> set[str]:
    """Sessions / connections the calls in `call` use as argument or receiver."""
    found: set[str] = set()
    for node in ast.walk(call):
        if not isinstance(node, ast.Call):
            continue
        used = [*node.args, *(k.value for k in node.keywords)]
        if isinstance(node.func, ast.Attribute):
            used.append(node.func.value)
        for arg in used:
            safe = (origin(arg, ctx.semantic) or "").rsplit(".", 1)[-1] in _SAFE
            if isinstance(arg, ast.Name) and _SHARED_NAME.match(arg.id) and not safe:
                found.add(arg.id)
    return found


def _fanned_out(node: ast.Call, ctx: FileContext) -> tuple[set[str], str]:
    """(shared names, how): `gather(a(s), b(s))`, `gather(*[f(s, x) for x in xs])`, a local
    list of such calls, `create_task(f(s))` in a loop where `s` is not bound per item."""
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    method = node.func.id if isinstance(node.func, ast.Name) else method
    if method != "gather" and method not in _SPAWN:
        return set(), ""
    if ctx.semantic.qualified_name(node.func) == "asyncio.gather":
        plain = [_sessions(a, ctx) for a in node.args if not isinstance(a, ast.Starred)]
        shared = {s for i, a in enumerate(plain) for s in a if any(s in b for b in plain[i + 1 :])}
        function = ctx.semantic.enclosing_function()
        values = local_assignments(function) if function else {}
        for star in (a.value for a in node.args if isinstance(a, ast.Starred)):
            built = values.get(star.id, []) if isinstance(star, ast.Name) else [star]
            for many in (v for v in built if isinstance(v, _MANY)):
                own = {n for g in many.generators for n in target_names(g.target)}
                shared |= _sessions(many, ctx) - own
        return shared, "`asyncio.gather`"
    loop = nearest_loop(ctx.semantic.ancestors)
    if method in _SPAWN and isinstance(loop, _LOOPS) and ctx.semantic.in_loop():
        return _sessions(node, ctx) - bound_per_item(loop), f"`{method}` in a loop"
    return set(), ""


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    shared, how = _fanned_out(node, ctx)
    for name in sorted(shared):
        yield ctx.finding(node, f"`{name}` is shared by coroutines that {how} runs concurrently")
