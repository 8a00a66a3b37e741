from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.project.writes import first_write, writes_in
from prodready.analysis.semantic import SemanticModel
from tests.analysis.project.payment_helpers import code_of


def _first_write(source: str) -> str | None:
    tree = ast.parse(textwrap.dedent(source))
    function = tree.body[-1]
    assert isinstance(function, ast.AsyncFunctionDef | ast.FunctionDef)
    found = writes_in(function, SemanticModel.build(tree, "m", False))
    return found[1] if found else None


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("async def f(session, p):\n    session.add(p)", "`session.add(...)`"),
        ("async def f(db):\n    db.add(Payment(x=1))", "`db.add(...)`"),
        (
            "from sqlalchemy import update\n"
            "async def f(s):\n    await s.execute(update(U).values(a=1))",
            "`update(...)`",
        ),
        ("async def f(pool):\n    await pool.execute('UPDATE users SET a = 1')", "SQL `UPDATE`"),
        ("async def f(c):\n    c.execute('insert into t (a) values (?)', (1,))", "SQL `INSERT`"),
        (
            "async def f(col):\n    await col.update_one({'a': 1}, {'$inc': {'b': 1}})",
            "`.update_one(...)`",
        ),
        ("async def f():\n    await Order.create(user=1)", "`.create(...)`"),
        ("async def f(user):\n    await user.save()", "`.save(...)`"),
        (
            "async def f():\n    await Order.filter(id=1).update(paid=True)",
            "`.filter(...).update(...)`",
        ),
        ("async def f(user, n):\n    user.balance += n", "`user.balance += ...`"),
        (
            "async def f(s, uid):\n    sub = await s.get(Sub, uid)\n    sub.expires_at = 1",
            "`sub.expires_at = ...`",
        ),
        ("async def f(s, sub):\n    sub.plan = 'pro'\n    await s.commit()", "`sub.plan = ...`"),
        ("async def f(repo, uid):\n    await repo.add_balance(uid, 5)", "`add_balance(...)`"),
        ("async def f(uid):\n    await activate_subscription(uid)", None),  # bare name, unresolved
    ],
)
def test_writes(source: str, label: str | None) -> None:
    assert _first_write(source) == label


@pytest.mark.parametrize(
    "source",
    [
        "async def f(session):\n    await session.commit()",  # what it commits is elsewhere
        "async def f(message):\n    await message.delete()",  # a Telegram message, not a row
        "async def f(self, n):\n    self.count += n",
        "async def f(data):\n    data.update({'a': 1})",
        "async def f(cb):\n    await cb.answer('update')",
        "async def f(dto):\n    dto.name = 'x'",  # neither loaded nor committed
        "async def f(s):\n    await s.execute('SELECT 1')",
    ],
)
def test_not_writes(source: str) -> None:
    assert _first_write(source) is None


def test_first_write_follows_calls() -> None:
    code = code_of(
        {
            "repo": (
                "async def put(pool, uid):\n"
                "    await pool.execute('DELETE FROM carts WHERE u = $1', uid)\n"
            ),
            "h": (
                "from repo import put\n\n"
                "async def handler(pool, m):\n    await put(pool, m.from_user.id)\n"
            ),
        }
    )
    found = first_write(code, "h.handler")
    assert found is not None
    assert (found.function, found.line, found.label) == ("repo.put", 2, "SQL `DELETE`")
