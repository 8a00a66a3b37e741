"""What a function does with ORM objects after loading them: eager loading, awaited loads,
attribute reads, async session factories and statement order."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis import orm, orm_access, orm_sessions
from tests.analysis.project.schema_helpers import parsed


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(textwrap.dedent(code)).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("q = select(User).options(selectinload(User.orders))", {"orders"}),
        (
            "q = select(User).options(joinedload(User.orders).selectinload(Order.items))",
            {"orders", "items"},
        ),
        ("q = select(Shop).options(joinedload('products'))", {"products"}),
        ("u = await s.get(User, 1, options=[subqueryload(User.orders)])", {"orders"}),
        ("await s.refresh(user, ['orders'])", {"orders"}),
        ("await s.refresh(user, attribute_names=['tickets'])", {"tickets"}),
        ("o = await user.awaitable_attrs.orders", {"orders"}),
        ("await s.refresh(user)", set()),
        ("q = select(User).options(*OPTIONS)", None),
        ("q = select(User).options(selectinload('*'))", None),
        ("q = select(User).options(build_options())", None),
    ],
)
def test_loaded_eagerly(body: str, expected: set[str] | None) -> None:
    found = orm_access.loaded_eagerly(_function(f"async def f(s, user):\n    {body}"))
    assert found == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("async def f(s):\n    u = await s.get(User, 1)", True),
        ("async def f(s):\n    r = await s.execute(q)\n    u = r.scalar_one()", True),
        ("async def f(s):\n    u = s.get(User, 1)", False),
        ("async def f(s):\n    r = s.execute(q)\n    u = r.scalar_one()", False),
    ],
)
def test_awaited_load(code: str, expected: bool) -> None:
    function = _function(code)
    last = function.body[-1]
    assert isinstance(last, ast.Assign)
    assert orm_access.awaited_load(last.value, orm.local_assignments(function)) is expected


def test_attribute_reads_and_assignments() -> None:
    function = _function(
        """
        async def f(user):
            user.orders = []
            n = len(user.orders)
            del user.name
            return user.tickets
        """
    )
    reads = [(r.owner, r.attr) for r in orm_access.attribute_reads(function)]
    assert reads == [("user", "orders"), ("user", "tickets")]
    assert orm_access.assigned_attributes(function) == {("user", "orders")}


def _factories(code: str) -> list[tuple[str, bool | None]]:
    tree = ast.parse(textwrap.dedent(code))
    bindings = {
        alias.asname or alias.name: f"{node.module}.{alias.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    return [(f.name, f.expires) for f in orm_sessions.session_factories(tree, bindings)]


def test_session_factories() -> None:
    assert _factories(
        """
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
        from sqlalchemy.orm import sessionmaker
        a = async_sessionmaker(engine)
        b = async_sessionmaker(engine, expire_on_commit=False)
        c = sessionmaker(engine, class_=AsyncSession)
        d = sessionmaker(engine)
        e = async_sessionmaker(engine, **options)
        f = async_sessionmaker(engine, expire_on_commit=settings.expire)
        def session():
            return AsyncSession(engine)
        """
    ) == [("a", True), ("b", False), ("c", True), ("e", None), ("f", None), ("", True)]


def test_session_factory_configured_later_does_not_expire() -> None:
    assert _factories(
        """
        from sqlalchemy.ext.asyncio import async_sessionmaker
        factory = async_sessionmaker()
        factory.configure(bind=engine, expire_on_commit=False)
        """
    ) == [("factory", None)]


def _nodes(function: ast.AsyncFunctionDef) -> tuple[ast.AST, ast.AST]:
    commit = next(
        n for n in ast.walk(function) if isinstance(n, ast.Attribute) and n.attr == "commit"
    )
    read = next(n for n in ast.walk(function) if isinstance(n, ast.Attribute) and n.attr == "id")
    return commit, read


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("await s.commit()\n    return u.id", True),
        ("async with s:\n        await s.commit()\n    return u.id", True),
        ("if a:\n        await s.commit()\n    return u.id", True),
        ("if a:\n        await s.commit()\n        return 0\n    return u.id", False),
        ("if a:\n        await s.commit()\n    else:\n        return u.id", False),
        ("try:\n        await s.commit()\n    except E:\n        return u.id", False),
        ("for x in xs:\n        print(u.id)\n        await s.commit()", False),
        ("x = u.id\n    await s.commit()", False),
    ],
)
def test_runs_after(code: str, expected: bool) -> None:
    function = _function(f"async def f(s, u, a, xs):\n    {code}")
    commit, read = _nodes(function)
    assert orm_access.runs_after(function, commit, read) is expected


def test_opened_sessions_commits_and_refreshes() -> None:
    file = parsed(
        textwrap.dedent(
            """
            from app.db import async_session
            from sqlalchemy.ext.asyncio import async_sessionmaker

            local_session = async_sessionmaker(engine, expire_on_commit=False)

            async def f(user):
                async with async_session() as session, local_session() as other:
                    await session.commit()
                    await session.refresh(user)
                    other.expunge(user)
            """
        ),
        "app/handlers.py",
    )
    function = file.tree.body[-1]
    assert isinstance(function, ast.AsyncFunctionDef)
    assert orm_sessions.opened_sessions(function, file) == {
        "session": "app.db.async_session",
        "other": "app.handlers.local_session",
    }
    assert [r for r, _ in orm_sessions.session_calls(function, "commit")] == ["session"]
    assert [name for name, _ in orm_sessions.refreshed(function)] == ["user", "user"]
    named, everywhere = orm_sessions.expiring_factories([file])
    assert named == {} and everywhere == ""
