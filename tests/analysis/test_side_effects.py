"""Effects that do harm when two requests both run them, and the region a check guards."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis import orm, side_effects


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


@pytest.mark.parametrize(
    ("body", "harmful"),
    [
        ("user.balance += 10", True),
        ("session.add(Key(owner=1))", True),
        ("await session.execute(insert(Key).values(owner=1))", True),
        ("await session.execute(update(User).values(balance=User.balance + 1))", True),
        ("await create_vpn_user(uid)", True),
        ("await panel.extend_subscription(uid, 30)", True),
        ("user.until = user.until + period", True),
        ("await session.execute(update(User).values(seen=True))", False),
        ("await message.answer('done')", False),
        ("order.note = 'x'", False),
        ("await request_stop(bid)", False),
        ("result['updated'] += 1", False),
        ("await set_post_delivery_window(uid)", False),
        ("await acquire_lock(uid)\n    await create_vpn_user(uid)", False),
    ],
)
def test_repeated_effect(body: str, harmful: bool) -> None:
    function = _function(f"async def f(session, user, message, uid, period, bid):\n    {body}")
    values = orm.local_assignments(function)
    assert bool(side_effects.repeated_effect(ast.walk(function), values)) is harmful


def test_guarded_region_is_the_if_body_or_what_follows_a_guard() -> None:
    function = _function(
        "async def f(order, grant, log):\n"
        "    if order.status == 'pending':\n"  # 2
        "        order.status = 'paid'\n"  # 3
        "        await grant(1)\n"  # 4
        "    await log(2)\n"  # 5
        "    if order.used:\n"  # 6
        "        return\n"
        "    if order.x:\n"  # 8
        "        await grant(3)\n"
        "        return\n"
        "    order.used = True\n"  # 11
        "    await grant(4)\n"  # 12
    )
    first_if, guard = function.body[0], function.body[2]
    assert isinstance(first_if, ast.If) and isinstance(guard, ast.If)
    write, late_write = first_if.body[0], function.body[4]
    region = side_effects.guarded_region(function, first_if, write)
    lines = {getattr(n, "lineno", 0) for n in region}
    assert lines == {4}
    late = side_effects.guarded_region(function, guard, late_write)
    after = {getattr(n, "lineno", 0) for n in late}
    assert 12 in after and 9 not in after and 11 not in after
