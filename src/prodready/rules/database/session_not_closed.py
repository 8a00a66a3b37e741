"""DB005: a session created into a local and not closed on every path."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.orm import makes_session, session_lifetime
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB005",
    name="session-not-closed",
    title="Database session opened without async with or close in finally",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A session is created into a local variable — `AsyncSession(engine)`, a factory built "
        "by `async_sessionmaker(...)` / `sessionmaker(...)` (`session = async_session()`) — and "
        "is neither used as `async with` nor closed in a `finally:`, returned or handed over."
    ),
    why=(
        "A session checks a connection out of the pool at its first query and keeps it until "
        "commit, rollback or close. When the function only reads, or an exception skips the "
        "commit, the connection stays checked out until the garbage collector finds the session "
        "(SQLAlchemy then warns 'The garbage collector is trying to clean up non-checked-in "
        "connection' and terminates it). Under load the pool's 5 + 10 connections run out and "
        "every request waits 30 s for `QueuePool limit ... reached` (TimeoutError)."
    ),
    fix="""Let a context manager own the session, so it is closed on every path:

```python
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.models import User

engine = create_async_engine("postgresql+asyncpg://app@db/app")
Session = async_sessionmaker(engine, expire_on_commit=False)


async def username(user_id: int) -> str | None:
    async with Session() as session:
        return await session.scalar(select(User.username).where(User.id == user_id))


async def rename(user_id: int, name: str) -> None:
    async with Session() as session, session.begin():  # commit, or rollback on error
        user = await session.get(User, user_id)
        if user is not None:
            user.username = name
```""",
    migration=(
        "Replace `s = Session()` ... `s.close()` pairs by `async with Session() as s:`; for "
        "FastAPI use a dependency that yields inside `async with`, for aiogram a middleware that "
        "opens the session around the handler. Where a session must outlive a block, close it "
        "in `finally:` (or register it on an `AsyncExitStack`)."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/session_basics.html#opening-and-closing-a-session",
        "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html#synopsis-orm",
    ),
)


@file_rule(META, on=(ast.FunctionDef, ast.AsyncFunctionDef))
def check(node: ast.stmt, ctx: FileContext) -> Iterator[Finding]:
    if not isinstance(node, FunctionNode):
        return
    for statement in iter_body(node):
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        target = statement.targets[0] if len(statement.targets) == 1 else None
        if not isinstance(target, ast.Name) or not makes_session(
            statement.value.func, ctx.semantic
        ):
            continue
        lifetime = session_lifetime(node, target.id)
        if lifetime == "owned":
            continue
        shown = f"`{target.id} = {ast.unparse(statement.value)[:40]}`"
        if lifetime == "happy-path":
            yield ctx.finding(
                statement,
                f"{shown} is closed or committed only when nothing raises: an error leaves "
                "its connection checked out until garbage collection",
                confidence=Confidence.LOW,
            )
        else:
            yield ctx.finding(
                statement,
                f"{shown} is never closed (no `async with`, no `close()` in `finally`): its "
                "connection stays checked out until garbage collection",
            )
