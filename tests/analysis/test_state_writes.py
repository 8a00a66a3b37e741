from __future__ import annotations

import ast

from prodready.analysis.state_writes import StateWrite, state_writes


def _writes(text: str) -> list[StateWrite]:
    tree = ast.parse(text)
    function = next(n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef))
    methods = {
        n.name: n
        for n in ast.walk(tree)
        if isinstance(n, ast.AsyncFunctionDef) and n is not function
    }
    return state_writes(function, methods=methods)


def test_plain_assignment_on_a_loaded_row_is_unguarded() -> None:
    (write,) = _writes(
        "async def f(session, oid):\n"
        "    order = await session.get(Order, oid)\n"
        "    order.status = OrderStatus.PAID\n"
    )
    assert (write.model, write.field, write.guard) == ("Order", "status", "")
    assert write.transition == "any → OrderStatus.PAID"
    assert not write.constructed and not write.core and not write.setter


def test_checks_locks_and_conditional_updates_guard() -> None:
    checked = _writes(
        "async def f(session, oid):\n"
        "    order = await session.get(Order, oid)\n"
        "    if order.status not in (S.NEW, S.PENDING):\n"
        "        return\n"
        "    order.status = S.PAID\n"
    )
    assert checked[0].guard == "status-check"
    assert checked[0].transition == "S.NEW | S.PENDING → S.PAID"
    locked = _writes(
        "async def f(session, oid):\n"
        "    stmt = select(Order).where(Order.id == oid).with_for_update()\n"
        "    order = (await session.execute(stmt)).scalar_one()\n"
        "    order.status = 'paid'\n"
    )
    assert (locked[0].model, locked[0].guard) == ("Order", "row-lock")
    core = _writes(
        "async def f(session):\n"
        "    await session.execute(update(Sub).where(Sub.status == 'active').values(status='x'))\n"
    )
    assert (core[0].core, core[0].guard, core[0].checked) == (
        True,
        "conditional-update",
        ("'active'",),
    )
    helper = _writes(
        "async def f(db, coupon):\n"
        "    await db.refresh(coupon, with_for_update=True)\n"
        "    coupon.status = 'redeemed'\n"
    )
    assert helper[0].guard == "row-lock"


def test_new_rows_setters_and_self_are_told_apart() -> None:
    new = _writes("async def f(session):\n    order = Order(user_id=1)\n    order.status = 'new'\n")
    assert new[0].constructed
    factory = _writes(
        "async def f(self):\n    p = await self._create_payment()\n    p.status = 'failed'\n"
    )
    assert factory[0].constructed
    setter = _writes(
        "async def f(session, oid, body):\n"
        "    order = await session.get(Order, oid)\n"
        "    new_status = body.status.value\n"
        "    order.status = new_status\n"
    )
    assert setter[0].setter
    assert _writes("async def f(self):\n    self.status = 'x'\n") == []
    assert _writes("async def f(resp):\n    resp.status = 404\n") == []


def test_methods_of_the_class_type_their_results() -> None:
    (write,) = _writes(
        "async def f(self, tid):\n"
        "    ticket = await self._get_ticket(tid)\n"
        "    ticket.status = 'open'\n"
        "async def _get_ticket(self, tid) -> SupportTicket | None:\n"
        "    ...\n"
    )
    assert write.model == "SupportTicket"
