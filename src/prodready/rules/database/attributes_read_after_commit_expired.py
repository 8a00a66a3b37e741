"""DB009: an ORM object's attribute read after `await session.commit()` expired it."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.orm_access import attribute_reads, runs_after
from prodready.analysis.orm_sessions import (
    expiring_factories,
    opened_sessions,
    refreshed,
    session_calls,
)
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.orm_rows import async_functions, async_rows, helpers, row_at
from prodready.rules.transitions import schema_models

META = RuleMeta(
    id="DB009",
    name="attributes-read-after-commit-expired",
    title="ORM attribute read after commit expired it (AsyncSession, expire_on_commit=True)",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "Every async session factory of the project — `async_sessionmaker(engine)`, "
        "`sessionmaker(engine, class_=AsyncSession)`, `AsyncSession(engine)` — keeps the "
        "default `expire_on_commit=True`, and an `async def` reads a column of an ORM object "
        "(one it loaded with an awaited `session.get` / `select`, or built and "
        "`session.add`-ed) after `await session.commit()` on that session, with no `await "
        "session.refresh(obj)` in between: `await session.commit(); return user.id`, "
        '`await message.answer(f"Order {order.id}: {order.total}")`.'
    ),
    why=(
        "`commit()` expires every object of the session, so the next attribute read reloads "
        "the row. Under asyncio that reload is implicit IO SQLAlchemy cannot await inside "
        "attribute access: it raises `sqlalchemy.exc.MissingGreenlet` after the data was "
        "committed — the user's payment or order is saved, but the handler crashes before "
        "it answers, and a retry by the user or Telegram can apply it twice."
    ),
    fix="""Configure the async session factory not to expire on commit (SQLAlchemy's advice for
asyncio), or refresh what you read after a commit:

```python
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.models import Order

engine = create_async_engine("postgresql+asyncpg://app@db/app")
Session = async_sessionmaker(engine, expire_on_commit=False)


async def create_order(session: AsyncSession, user_id: int, total: int) -> int:
    order = Order(user_id=user_id, total=total)
    session.add(order)
    await session.commit()
    await session.refresh(order)  # needed only while expire_on_commit=True
    return order.id
```""",
    migration=(
        "Set `expire_on_commit=False` on the `async_sessionmaker` (check code that relied on "
        "reading fresh values after a commit: re-read those with `await session.refresh(obj)` "
        "or a new query). Where the factory must keep expiring, read what you need into local "
        "variables before `commit()` or `await session.refresh(obj)` after it; for "
        "relationships use `AsyncAttrs` and `await obj.awaitable_attrs.name`."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html#preventing-implicit-io-when-using-asyncsession",
        "https://docs.sqlalchemy.org/en/20/orm/session_api.html#sqlalchemy.orm.Session.params.expire_on_commit",
        "https://docs.sqlalchemy.org/en/20/errors.html#error-xd2s",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Only sessions from a factory that expires on commit: opened in the function from a
    named one (`async with async_session() as session:`), or any session when every factory
    of the project expires. Only rows of schema models tied to the committed session by
    name; the first read of each object per commit."""
    named, everywhere = expiring_factories(ctx.files)
    if not named and not everywhere:
        return
    models = schema_models(ctx.project)
    for parsed in ctx.files:
        if "commit()" not in "\n".join(parsed.source.lines):
            continue
        found = helpers(parsed, ctx.project, ctx.files, models)
        for _, function in async_functions(parsed):
            commits = session_calls(function, "commit")
            if not commits:
                continue
            opened = opened_sessions(function, parsed)
            rows = async_rows(function, parsed, models, found)
            renewed = refreshed(function)
            reported: set[tuple[str, int]] = set()
            for read in attribute_reads(function):
                line = read.node.lineno
                row = row_at(rows, read.owner, line)
                if row is None or not row.session or models[row.model].column(read.attr) is None:
                    continue
                factory = opened.get(row.session)
                where = named.get(factory, "") if factory is not None else everywhere
                if not where:
                    continue
                after = [
                    call
                    for session, call in commits
                    if session == row.session
                    and row.line < call.lineno <= line
                    and runs_after(function, call, read.node)
                ]
                if not after:
                    continue
                commit = after[-1]
                if any(n == read.owner and commit.lineno <= at <= line for n, at in renewed):
                    continue
                if (read.owner, commit.lineno) in reported:
                    continue
                reported.add((read.owner, commit.lineno))
                yield ctx.finding(
                    parsed,
                    read.node,
                    f"`{read.owner}.{read.attr}` is read after `await {row.session}.commit()` "
                    f"(line {commit.lineno}) expired `{read.owner}`: the session factory at "
                    f"{where} keeps expire_on_commit=True, so this read reloads the row with "
                    "implicit IO and raises MissingGreenlet",
                    confidence=Confidence.HIGH if row.how != "helper" else None,
                )
