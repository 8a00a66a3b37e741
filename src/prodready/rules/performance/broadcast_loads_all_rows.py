"""PERF002: a broadcast that loads every recipient into memory before sending."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.revisit import current_function_name, walk_semantic
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.broadcast import broadcast_at, sender_paths
from prodready.rules.rows import function_loads_every_row, loads_every_row

META = RuleMeta(
    id="PERF002",
    name="broadcast-loads-all-rows",
    title="Broadcast loads every recipient into memory at once",
    dimension=Dimension.PERFORMANCE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A loop sends a Telegram message to each row of a query that was loaded whole — "
        "`(await session.execute(select(User))).scalars().all()`, asyncpg `fetch(...)`, or a "
        "helper that returns such a list — with no `limit`, keyset pagination or streaming."
    ),
    why=(
        "At ~30 messages per second a broadcast to 100,000 users takes an hour. Loading them "
        "all first holds 100,000 ORM objects (hundreds of MB) for that hour and usually keeps "
        "the session — and its connection and transaction — open the whole time, which "
        "blocks VACUUM and starves the pool. Users who joined after the query are skipped, "
        "and a crash half-way leaves no record of who already got the message."
    ),
    fix="""Walk recipients in pages by primary key, with a short session per page:

```python
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def recipients(sessions: async_sessionmaker[AsyncSession], page: int = 500):
    last_id = 0
    while True:
        async with sessions() as session:
            query = select(User.id, User.tg_id).where(User.id > last_id).order_by(User.id)
            rows = (await session.execute(query.limit(page))).all()
        if not rows:
            return
        for row in rows:
            yield row.tg_id
        last_id = rows[-1].id
```

Send from this generator through a rate limiter (aiolimiter) and record progress, or hand the
broadcast to a queue worker (arq / taskiq).""",
    migration=(
        "Replace the list-returning query with a keyset-paginated generator (or "
        "`await session.stream_scalars(...)` with `yield_per`), select only the columns the "
        "send needs, and open a session per page instead of one for the whole broadcast. "
        "For large audiences store a broadcast row with the last id sent so a restart resumes."
    ),
    libraries=("sqlalchemy", "aiolimiter", "arq", "taskiq"),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/api.html#fetching-large-result-sets-with-yield-per",
        "https://use-the-index-luke.com/no-offset",
    ),
)


def _loop(semantic: SemanticModel) -> ast.For | ast.AsyncFor | None:
    return next(
        (n for n in reversed(semantic.ancestors) if isinstance(n, ast.For | ast.AsyncFor)), None
    )


def _values(name: str, function: FunctionNode) -> list[ast.expr]:
    return [
        n.value.value if isinstance(n.value, ast.Await) else n.value
        for n in iter_body(function)
        if isinstance(n, ast.Assign)
        and len(n.targets) == 1
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id == name
    ]


def _source(expr: ast.expr, function: FunctionNode, caller: str, ctx: ProjectContext) -> str | None:
    """How the iterated rows were loaded whole, or None."""
    expr = expr.value if isinstance(expr, ast.Await) else expr
    candidates = _values(expr.id, function) if isinstance(expr, ast.Name) else [expr]
    for value in candidates:
        if loads_every_row(value, function):
            return f"`{ast.unparse(value)[:70]}`"
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        for callee in ctx.project.calls.callees(caller):
            if callee.endswith("." + called) and function_loads_every_row(
                ctx.project, ctx.files, callee
            ):
                where = ctx.project.calls.functions[callee].evidence
                return f"`{called}()` ({where}), which loads every row"
    return None


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    seen: set[int] = set()
    for path in sender_paths(ctx.project):
        parsed = ctx.file(path)
        for node in walk_semantic(parsed) if parsed is not None else ():
            if not isinstance(node, ast.Call) or parsed is None:
                continue
            found = broadcast_at(node, parsed.semantic)
            loop, function = _loop(parsed.semantic), parsed.semantic.enclosing_function()
            caller = current_function_name(parsed)
            if (
                found is None
                or loop is None
                or function is None
                or caller is None
                or id(loop) in seen
            ):
                continue
            seen.add(id(loop))
            source = _source(loop.iter, function, caller, ctx)
            if source is not None:
                yield ctx.finding(
                    parsed,
                    loop,
                    f"the broadcast loop over `{ast.unparse(loop.iter)[:40]}` sends to rows "
                    f"loaded all at once by {source}: memory and an open session grow with "
                    "the audience",
                )
