"""Values computed from themselves, and names derived from a loop's item."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis import dataflow


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("user.balance -= price", [("user", "balance")]),
        ("user.balance = user.balance - price", [("user", "balance")]),
        ("sub.until = max(sub.until, now) + delta", [("sub", "until")]),
        ("new = promo.uses + 1\n    promo.uses = new", [("promo", "uses")]),
        ("old = user.balance\n    user.balance = old + 5", [("user", "balance")]),
        ("old = user.balance\n    user.balance = old", []),
        ("user.balance = price * 2", []),
        ("role.perms = list(role.perms | extra)", []),  # set union is not arithmetic
        ("user.flag = not user.flag", []),
        ("self.count += 1", [("self", "count")]),
    ],
)
def test_self_updates(body: str, expected: list[tuple[str, str]]) -> None:
    function = _function(
        f"async def f(user, price, now, delta, promo, sub, role, extra):\n    {body}"
    )
    assert [(u.obj, u.column) for u in dataflow.self_updates(function)] == expected


def test_derived_names_follow_assignments_in_order() -> None:
    body = ast.parse(
        "uid = user.id\n"
        "stmt = select(X).where(X.user_id == uid)\n"
        "other = 1\n"
        "late = later\n"
        "later = uid"
    ).body
    assert dataflow.derived_names(body, {"user"}) == {"user", "uid", "stmt", "later"}


def test_target_names_and_mentions() -> None:
    target = ast.parse("for (a, [b, *c]) in x: pass").body[0]
    assert isinstance(target, ast.For)
    assert dataflow.target_names(target.target) == {"a", "b", "c"}
    assert dataflow.mentions(ast.parse("f(a.b)").body[0], {"a"})
    assert not dataflow.mentions(ast.parse("f(x.a)").body[0], {"a"})


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("engine = make()", False),
        ("self.engine = make()", True),
        ("app.state['engine'] = make()", True),
        ("global _pool\n    _pool = await make()", True),
    ],
)
def test_stored_for_reuse(body: str, kept: bool) -> None:
    function = _function(f"async def f(self, app):\n    {body}")
    call = next(n for n in ast.walk(function) if isinstance(n, ast.Call))
    assert dataflow.stored_for_reuse(function, call) is kept


def test_closes_something() -> None:
    assert dataflow.closes_something(_function("async def f(e):\n    await e.dispose()"))
    assert not dataflow.closes_something(_function("async def f(e):\n    await e.connect()"))


def test_deciding_ifs_are_enclosing_ifs_and_earlier_guards() -> None:
    function = _function(
        "async def f(order):\n"
        "    if order.used:\n"  # 2: a guard
        "        return\n"
        "    if order.note:\n"  # 4: not a guard (no exit)
        "        pass\n"
        "    for x in order.items:\n"
        "        if x.skip:\n"  # 7: a guard of the loop body
        "            continue\n"
        "        if order.status == 'new':\n"  # 9: encloses the write
        "            order.status = 'paid'\n"  # 10
    )
    loop = function.body[2]
    assert isinstance(loop, ast.For)
    enclosing = loop.body[1]
    assert isinstance(enclosing, ast.If)
    write = enclosing.body[0]
    assert sorted(i.lineno for i in dataflow.deciding_ifs(function, write)) == [2, 7, 9]
