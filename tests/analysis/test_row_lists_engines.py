"""Whole-row loads used only as a count / filter / sum, and the database an engine targets."""

from __future__ import annotations

import ast
import textwrap

from prodready.analysis.engines import engine_dialect, long_running_path
from prodready.analysis.row_lists import python_side_uses
from prodready.analysis.semantic import SemanticModel


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(textwrap.dedent(code)).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _kinds(code: str) -> list[tuple[str, bool]]:
    return [(use.kind, use.load.filtered) for use in python_side_uses(_function(code))]


def test_len_of_all_rows_is_a_count() -> None:
    code = """
    async def f(session):
        result = await session.execute(select(User).where(User.active))
        return len(result.scalars().all())
    """
    assert _kinds(code) == [("count", True)]


def test_list_used_otherwise_is_not_reported() -> None:
    code = """
    async def f(session):
        users = (await session.scalars(select(User))).all()
        return len(users), users[0]
    """
    assert _kinds(code) == []


def test_filter_and_sum_over_unfiltered_load() -> None:
    code = """
    async def f(session):
        users = (await session.scalars(select(User))).all()
        return [u for u in users if u.balance > 0]
    """
    assert _kinds(code) == [("filter", False)]
    summed = """
    async def f(conn):
        rows = await conn.fetch("SELECT total FROM orders")
        return sum(r["total"] for r in rows)
    """
    assert _kinds(summed) == [("sum", False)]


def test_limited_or_aggregated_queries_are_not_whole_loads() -> None:
    code = """
    async def f(session, conn):
        a = len((await session.scalars(select(User).limit(10))).all())
        b = len(await conn.fetch("SELECT count(*) FROM users"))
        return a + b
    """
    assert _kinds(code) == []


def _dialect(code: str) -> str | None:
    tree = ast.parse(textwrap.dedent(code))
    semantic = SemanticModel.build(tree, "app.db", False)
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    return engine_dialect(call, semantic, None)


def test_engine_dialect_from_url_as_written() -> None:
    assert _dialect('create_async_engine("postgresql+asyncpg://a@b/c")') == "PostgreSQL"
    assert _dialect('URL = f"sqlite+aiosqlite:///{P}"\ncreate_async_engine(URL)') == "sqlite"
    assert _dialect('create_engine("mysql+pymysql://a@b/c")') == "MySQL"
    assert _dialect("create_async_engine(settings.database_url)") is None
    assert _dialect("create_engine(url, connect_args={'check_same_thread': False})") == "sqlite"


def test_long_running_path() -> None:
    assert long_running_path("app/db.py")
    assert not long_running_path("tests/conftest.py")
    assert not long_running_path("migrations/env.py")
    assert not long_running_path("app/test_db.py")


def test_engine_kept_beyond_the_call() -> None:
    from prodready.analysis.engines import kept_beyond_call

    def kept(code: str) -> bool:
        function = _function(code)
        call = next(
            n for n in ast.walk(function) if isinstance(n, ast.Call) and "engine" in ast.unparse(n)
        )
        return kept_beyond_call(function, call)

    assert kept(
        "async def f(url):\n    engine = create_async_engine(url)\n    return Maker(engine)"
    )
    assert kept("async def f(self, url):\n    self.engine = create_async_engine(url)")
    assert not kept(
        "async def f(url):\n    probe = create_async_engine(url)\n"
        "    async with probe.connect() as c:\n        pass"
    )
