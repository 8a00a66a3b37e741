"""What a failed flush does to a session: the calls that flush, the next use, what runs after
a handler."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.names import dotted_name
from prodready.analysis.orm import local_assignments
from prodready.analysis.session_failures import (
    SessionCall,
    catches_db_error,
    first_use,
    flushing_calls,
    followers,
    leaves,
)
from prodready.analysis.walk import walk_with_ancestors


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse("async def f(session):\n" + textwrap.indent(textwrap.dedent(code), "    "))
    function = node.body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    return function


def _named(node: ast.AST) -> str | None:
    return dotted_name(node)


def _flushing(code: str) -> list[tuple[str, str, bool]]:
    function = _function(code)
    values = local_assignments(function)
    found = flushing_calls(
        function.body, values, lambda t: any(catches_db_error(h, _named) for h in t.handlers)
    )
    return [(c.session, c.method, c.flushes) for c in found]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("await session.flush()", [("session", "flush", True)]),
        ("await self.session.commit()", [("self.session", "commit", True)]),
        ("db.commit()", [("db", "commit", True)]),
        ("session.add(u)\nawait session.execute(select(U))", [("session", "execute", True)]),
        ("await session.execute(select(U))", []),  # a read with nothing pending
        ("await session.execute(insert(U).values(a=1))", [("session", "execute", False)]),
        ('await session.execute(text("UPDATE u SET a = 1"))', [("session", "execute", False)]),
        ('await session.execute(text("SELECT 1"))', []),
        ("await writer.flush()", []),  # not a session
        ("async with session.begin_nested():\n    await session.flush()", []),
        ("async with session.begin():\n    await session.flush()", []),
        ("if x:\n    async with factory() as session:\n        await session.commit()", []),
        ("try:\n    await session.commit()\nexcept IntegrityError:\n    pass", []),
        (
            "try:\n    await session.commit()\nexcept ValueError:\n    pass",
            [("session", "commit", True)],
        ),
    ],
)
def test_flushing_calls(code: str, expected: list[tuple[str, str, bool]]) -> None:
    assert _flushing(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("log()\nx = await session.get(U, 1)", "get"),
        ("await session.rollback()\nawait session.get(U, 1)", "reset"),
        ("await session.close()\nawait session.commit()", "reset"),
        ("session = factory()\nawait session.commit()", "reset"),
        ("session.add(u)", None),  # add() alone sends nothing
        ("await other.commit()", None),
        ("def inner():\n    session.commit()", None),
        ("await mark_failed(session, order_id)", "mark_failed"),
        ("await UserRepo(session).get(1)", "get"),
        ("await safe_rollback(session)\nawait session.commit()", "reset"),
        ("async with factory() as session:\n    await helper(session)", "reset"),
    ],
)
def test_first_use(code: str, expected: str | None) -> None:
    found = first_use(_function(code).body, "session")
    assert (found.method if isinstance(found, SessionCall) else found) == expected


def _after(code: str) -> list[str]:
    module = ast.parse(textwrap.dedent(code))
    ancestors: list[ast.AST] = []
    for node in walk_with_ancestors(module, ancestors):
        if isinstance(node, ast.Try):
            found = followers(node, list(ancestors), leaves(node.handlers[0]))
            return [ast.unparse(s).splitlines()[0] for s in found]
    raise AssertionError("no try")


def test_followers_rest_of_function() -> None:
    code = """
    async def f():
        if a:
            try:
                x()
            except E:
                log()
            after_in_if()
        after_if()
    """
    assert _after(code) == ["after_in_if()", "after_if()"]


def test_followers_stop_at_return() -> None:
    code = """
    async def f():
        if a:
            try:
                x()
            except E:
                log()
            return False
        never()
    """
    assert _after(code) == ["return False"]


def test_followers_next_iteration_and_after_loop() -> None:
    code = """
    async def f():
        for item in items:
            before()
            try:
                x()
            except E:
                continue
        after_loop()
    """
    assert _after(code) == ["before()", "try:", "after_loop()"]


def test_followers_break_and_exit() -> None:
    broke = """
    async def f():
        for item in items:
            try:
                x()
            except E:
                break
        after_loop()
    """
    assert _after(broke) == ["after_loop()"]
    exits = "async def f():\n    try:\n        x()\n    except E:\n        raise\n    later()\n"
    assert _after(exits) == []


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        ("except:", True),
        ("except Exception:", True),
        ("except IntegrityError:", True),
        ("except (ValueError, exc.SQLAlchemyError):", True),
        ("except TelegramBadRequest:", False),
        ("except (ValueError, KeyError):", False),
    ],
)
def test_catches_db_error(handler: str, expected: bool) -> None:
    statement = ast.parse(f"try:\n    pass\n{handler}\n    pass").body[0]
    assert isinstance(statement, ast.Try)
    assert catches_db_error(statement.handlers[0], _named) is expected


def test_first_use_without_helpers_finds_the_sessions_own_statement() -> None:
    body = _function("await mark_failed(session)\nawait session.commit()").body
    found = first_use(body, "session", helpers=False)
    assert isinstance(found, SessionCall) and found.method == "commit"
    only_helper = _function("await mark_failed(session)").body
    assert first_use(only_helper, "session", helpers=False) is None
