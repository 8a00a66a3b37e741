"""DB009: an ORM object's attribute read after `await session.commit()` expired it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.orm_access import (
    SessionFactory,
    attribute_reads,
    runs_after,
    session_factories,
)
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body
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

_HINTS = ("sessionmaker", "AsyncSession", "expire_on_commit")


def _factories(ctx: ProjectContext) -> list[tuple[ParsedFile, SessionFactory]]:
    found: list[tuple[ParsedFile, SessionFactory]] = []
    for parsed in ctx.files:
        if any(hint in line for line in parsed.source.lines for hint in _HINTS):
            bindings = parsed.semantic.imports.bindings
            found += [(parsed, f) for f in session_factories(parsed.tree, bindings)]
    return found


def _factory_name(call: ast.expr, parsed: ParsedFile) -> str:
    """The qualified name of the factory a `with` item calls (`async_session()`,
    `db.async_session()`, `async_session.begin()` is not a session)."""
    if not isinstance(call, ast.Call) or call.args or call.keywords:
        return ""
    name = dotted_name(call.func) or ""
    head, _, rest = name.partition(".")
    bound = parsed.semantic.imports.bindings.get(head)
    if bound is not None:
        return f"{bound}.{rest}" if rest else bound
    return f"{parsed.source.module}.{name}" if not rest else ""


def _opened(function: FunctionNode, parsed: ParsedFile) -> dict[str, str]:
    """session name -> factory's qualified name, for `async with factory() as session:`."""
    return {
        item.optional_vars.id: _factory_name(item.context_expr, parsed)
        for node in iter_body(function)
        if isinstance(node, ast.AsyncWith)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name)
    }


def _expiring(
    factories: list[tuple[ParsedFile, SessionFactory]],
) -> tuple[dict[str, str], str]:
    """(qualified name -> location of each named factory that expires on commit, location of
    the project's factory when every one of them expires, else "")."""
    named = {
        f"{parsed.source.module}.{factory.name}": f"{parsed.source.path}:{factory.call.lineno}"
        for parsed, factory in factories
        if factory.name and factory.expires is True
    }
    every = bool(factories) and all(factory.expires is True for _, factory in factories)
    first = f"{factories[0][0].source.path}:{factories[0][1].call.lineno}" if every else ""
    return named, first


def _session_calls(function: FunctionNode, method: str) -> list[tuple[str, ast.Call]]:
    """(receiver text, call) of awaited `<receiver>.<method>(...)` calls."""
    return [
        (dotted_name(node.value.func.value) or "", node.value)
        for node in iter_body(function)
        if isinstance(node, ast.Await)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == method
    ]


def _refreshed(function: FunctionNode) -> list[tuple[str, int]]:
    """(name, line) of objects refreshed or expunged (`await session.refresh(user)`)."""
    found: list[tuple[str, int]] = []
    for node in iter_body(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        first = node.args[0] if node.args else None
        if node.func.attr in {"refresh", "expunge", "merge"} and isinstance(first, ast.Name):
            found.append((first.id, node.lineno))
    return found


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Only sessions from a factory that expires on commit: opened in the function from a
    named one (`async with async_session() as session:`), or any session when every factory
    of the project expires. Only rows of schema models tied to the committed session by
    name; the first read of each object per commit."""
    named, everywhere = _expiring(_factories(ctx))
    if not named and not everywhere:
        return
    models = schema_models(ctx.project)
    for parsed in ctx.files:
        if not any("commit()" in line for line in parsed.source.lines):
            continue
        found = helpers(parsed, ctx.project, ctx.files, models)
        for _, function in async_functions(parsed):
            commits = _session_calls(function, "commit")
            if not commits:
                continue
            opened = _opened(function, parsed)
            rows = async_rows(function, parsed, models, found)
            refreshed = _refreshed(function)
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
                if any(n == read.owner and commit.lineno <= at <= line for n, at in refreshed):
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
