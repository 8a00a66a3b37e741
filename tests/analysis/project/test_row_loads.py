from __future__ import annotations

import ast

from prodready.analysis.project.row_loads import remote_loads
from tests.analysis.project.payment_helpers import code_of

_SOURCES = {
    "app.repo": """
    from sqlalchemy import select

    class SubRepo:
        def __init__(self, session):
            self.session = session

        async def by_user(self, uid):
            result = await self.session.execute(select(Sub).where(Sub.uid == uid))
            return result.scalar_one_or_none()

        async def by_user_locked(self, uid):
            stmt = select(Sub).where(Sub.uid == uid).with_for_update()
            return await self.session.scalar(stmt)

        async def count(self):
            return 3

    async def load_wallet(session, uid):
        return await session.get(Wallet, uid)
    """,
    "app.service": """
    from app.repo import SubRepo, load_wallet

    class Service:
        def __init__(self, session):
            self.session = session
            self.subs = SubRepo(session)

        async def renew(self, uid, cache):
            sub = await self.subs.by_user(uid)
            locked = await self.subs.by_user_locked(uid)
            n = await self.subs.count()
            wallet = await load_wallet(self.session, uid)
            hit = cache.get(uid)
            sub.days += 1
            await self.session.commit()
    """,
}


def test_functions_know_the_row_they_return_and_calls_reach_them() -> None:
    code = code_of(_SOURCES)
    functions = code.project.calls.functions
    assert functions["app.repo.SubRepo.by_user"].returns_row is not None
    locked = functions["app.repo.SubRepo.by_user_locked"].returns_row
    assert locked is not None and locked.locked
    assert functions["app.repo.SubRepo.count"].returns_row is None
    assert functions["app.service.Service.renew"].rewrites_row
    assert not functions["app.repo.SubRepo.by_user"].rewrites_row

    body = code.body("app.service.Service.renew")
    assert body is not None
    load = remote_loads(code, body)
    calls = {
        ast.unparse(node.func): node for node in ast.walk(body.node) if isinstance(node, ast.Call)
    }
    sub = load(calls["self.subs.by_user"])
    assert sub is not None and sub.model == "Sub" and not sub.locked
    held = load(calls["self.subs.by_user_locked"])
    assert held is not None and held.locked
    wallet = load(calls["load_wallet"])
    assert wallet is not None and wallet.model == "Wallet"
    assert load(calls["self.subs.count"]) is None
    assert load(calls["cache.get"]) is None


def test_resolve_links_as_the_call_graph_does() -> None:
    code = code_of(_SOURCES)
    assert code.resolve("app.repo.SubRepo.by_user") == "app.repo.SubRepo.by_user"
    assert code.resolve("*.by_user_locked") == "app.repo.SubRepo.by_user_locked"
    assert code.resolve("other.app.repo.load_wallet") is None  # modules are named as imported
    assert code.resolve("*.missing") is None
