from __future__ import annotations

import ast

from prodready.analysis.project.model import RowSource
from prodready.analysis.project.row_loads import remote_loads
from tests.analysis.project.payment_helpers import code_of

_SOURCES = {
    "app.repo": """
    from sqlalchemy import select

    async def by_tg(session, tg_id):
        return await session.scalar(select(User).where(User.tg_id == tg_id))

    async def by_tg_locked(session, tg_id):
        return await session.scalar(select(User).where(User.tg_id == tg_id).with_for_update())

    async def get_or_create(session, tg_id):
        user = await session.scalar(select(User).where(User.tg_id == tg_id))
        if user is not None:
            return user, False
        user = User(tg_id=tg_id)
        return user, True

    class Base:
        def __init__(self, session):
            self.session = session

        async def get_by_id(self, row_id):
            return await self.session.get(self.model, row_id)

    class Users(Base[User]):
        model = User
    """,
    "app.service": """
    from app import repo

    async def get_user(session, tg_id):
        return await repo.by_tg(session, tg_id)

    async def find_user(session, tg_id):
        user = await get_user(session, tg_id)
        return user

    async def either(session, tg_id, lock):
        if lock:
            return await repo.by_tg_locked(session, tg_id)
        return await get_user(session, tg_id)

    async def user_or_nothing(session, tg_id):
        user = await find_user(session, tg_id)
        if user is None:
            return None, None
        return user, tg_id

    async def forwarded_pair(session, tg_id):
        return await repo.get_or_create(session, tg_id)

    async def ping(session, tg_id):
        return await pong(session, tg_id)

    async def pong(session, tg_id):
        return await ping(session, tg_id)

    async def cached(cache, tg_id):
        return await cache.get(tg_id)

    async def handler(session, tg_id):
        user, created = await forwarded_pair(session, tg_id)
        other = await repo.Users(session).get_by_id(1)
        user.balance += 1
        await session.commit()
    """,
}


def test_rows_are_followed_through_functions_that_return_another_s_result() -> None:
    functions = code_of(_SOURCES).project.calls.functions
    unlocked = RowSource("User", False)
    assert functions["app.service.get_user"].returns_row == unlocked
    assert functions["app.service.find_user"].returns_row == unlocked
    assert functions["app.service.either"].returns_row == RowSource("User", True)  # one locks
    assert functions["app.service.user_or_nothing"].returns_rows == (unlocked, None)
    assert functions["app.repo.get_or_create"].returns_rows == (unlocked, None)
    assert functions["app.service.forwarded_pair"].returns_rows == (unlocked, None)
    assert functions["app.repo.Base.get_by_id"].returns_row == RowSource("", False)


def test_cycles_and_generic_methods_return_no_row() -> None:
    functions = code_of(_SOURCES).project.calls.functions
    for name in ("app.service.ping", "app.service.pong", "app.service.cached"):
        assert functions[name].returns_row is None
        assert functions[name].returns_rows == ()


def test_unpacked_and_inherited_loads_reach_the_caller() -> None:
    code = code_of(_SOURCES)
    body = code.body("app.service.handler")
    assert body is not None
    load = remote_loads(code, body)
    calls = {ast.unparse(n.func): n for n in ast.walk(body.node) if isinstance(n, ast.Call)}
    pair = load(calls["forwarded_pair"])
    assert isinstance(pair, tuple) and pair[0] is not None and pair[1] is None
    inherited = load(calls["repo.Users(session).get_by_id"])
    # `*.get_by_id`: an untyped receiver, but one project function has that compound name
    assert inherited is not None and inherited.model == ""


def test_a_row_refreshed_under_a_lock_is_returned_locked() -> None:
    functions = code_of(
        {
            "app.locks": """
            from app.repo import by_tg

            async def lock_user(session, tg_id):
                user = await by_tg(session, tg_id)
                await session.refresh(user, with_for_update=True)
                return user
            """,
            "app.repo": _SOURCES["app.repo"],
        }
    ).project.calls.functions
    assert functions["app.locks.lock_user"].returns_row == RowSource("", True)
