from __future__ import annotations

from prodready.analysis.project.commits import Split, Transactions
from prodready.analysis.project.effects import Effects
from tests.analysis.project.payment_helpers import code_of

_REPO = """
async def debit(session, user, amount):
    user.balance -= amount
    await session.commit()

async def add_order(session, user_id):
    session.add(Order(user_id=user_id))
    await session.commit()

async def own_session(user_id):
    async with maker() as session:
        session.add(Order(user_id=user_id))
        await session.commit()
"""


def _split(handler: str) -> Split | None:
    code = code_of({"repo": _REPO, "handlers": handler})
    transactions = Transactions(code, Effects(code.project))
    body = code.body("handlers.handle")
    assert body is not None
    return transactions.split(body)


def test_two_commits_of_one_session_with_writes_before_each() -> None:
    found = _split(
        """
        async def handle(session, user):
            user.balance -= 1
            await session.commit()
            session.add(Order(user_id=user.id))
            await session.commit()
        """
    )
    assert found is not None
    assert (found.first.at[0], found.second.at[0], found.for_id) == (4, 6, False)


def test_repository_functions_that_commit_the_session_they_are_handed() -> None:
    found = _split(
        """
        from repo import add_order, debit

        async def handle(session, user):
            await debit(session, user, 10)
            await add_order(session, user.id)
        """
    )
    assert found is not None and found.first.via == "repo.debit"
    assert found.second.via == "repo.add_order"


def test_a_callee_that_opens_its_own_session_is_its_own_transaction() -> None:
    assert (
        _split(
            """
            from repo import debit, own_session

            async def handle(session, user):
                await debit(session, user, 10)
                await own_session(user.id)
            """
        )
        is None
    )


def test_a_new_row_id_read_between_the_commits() -> None:
    found = _split(
        """
        async def handle(session, user):
            order = Order(user_id=user.id)
            session.add(order)
            await session.commit()
            session.add(Item(order_id=order.id))
            await session.commit()
        """
    )
    assert found is not None and found.for_id


def test_not_a_split() -> None:
    cases = [
        # exclusive branches
        """
        async def handle(session, user, kind):
            if kind:
                user.balance -= 1
                await session.commit()
            else:
                session.add(Order())
                await session.commit()
        """,
        # an external call between: pending row, provider, answer
        """
        import httpx

        async def handle(session, user):
            session.add(Order())
            await session.commit()
            await httpx.AsyncClient().post("https://pay.example")
            user.balance -= 1
            await session.commit()
        """,
        # two sessions
        """
        async def handle(maker, user_id):
            async with maker() as session:
                session.add(Order())
                await session.commit()
            async with maker() as session:
                session.add(Order())
                await session.commit()
        """,
        # nothing new written before the second commit
        """
        async def handle(session, user):
            user.balance -= 1
            await session.commit()
            await session.commit()
        """,
    ]
    for case in cases:
        assert _split(case) is None, case


def test_two_begin_blocks_of_one_session() -> None:
    found = _split(
        """
        async def handle(session, user):
            async with session.begin():
                user.balance -= 1
            async with session.begin():
                session.add(Order(user_id=user.id))
        """
    )
    assert found is not None and (found.first.at[0], found.second.at[0]) == (4, 6)


def test_begin_blocks_of_a_session_maker_are_separate_sessions() -> None:
    found = _split(
        """
        async def handle(maker, user_id):
            async with maker.begin() as session:
                session.add(Order(user_id=user_id))
            async with maker.begin() as session:
                session.add(Order(user_id=user_id))
        """
    )
    assert found is None
