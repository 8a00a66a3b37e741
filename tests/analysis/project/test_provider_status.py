from __future__ import annotations

import pytest

from prodready.analysis.project.provider_status import event_writes
from tests.analysis.project.payment_helpers import code_of

HEAD = (
    "from fastapi import APIRouter, Request\n"
    "from sqlalchemy import select, update\n"
    "from models import Payment\n"
    "router = APIRouter()\n"
    "@router.post('/yookassa/webhook')\n"
    "async def hook(request: Request, session):\n"
    "    data = await request.json()\n"
    "    payment = await session.scalar(select(Payment).where(Payment.id == 1))\n"
)


def _values(body: str, extra: dict[str, str] | None = None) -> list[str]:
    code = code_of({"w": HEAD + body, **(extra or {})})
    return [found.value for found in event_writes(code, "w.hook")]


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("    payment.status = data['object']['status']\n", "data['object']['status']"),
        ("    s = data.get('status')\n    payment.status = s\n", "s"),
        ("    payment.status = MAP[data['event']]\n", "MAP[data['event']]"),
        (
            "    await session.execute(update(Payment).values(status=data['status']))\n",
            "data['status']",
        ),
    ],
)
def test_status_taken_from_the_event(body: str, value: str) -> None:
    assert _values(body) == [value]


@pytest.mark.parametrize(
    "body",
    [
        "    if payment.status != 'pending':\n        return\n"
        "    payment.status = data['status']\n",
        "    old = payment.status\n    if not can_move(old, data['status']):\n        return\n"
        "    payment.status = data['status']\n",
        "    if data['created'] < payment.updated_at:\n        return\n"
        "    payment.status = data['status']\n",
        "    await session.execute(update(Payment).where(Payment.status == 'pending')"
        ".values(status=data['status']))\n",
        "    payment.status = 'succeeded'\n",
        "    remote = await fetch_payment(data['id'])\n    payment.status = remote.status\n",
    ],
)
def test_guarded_constant_or_refetched_writes_are_not_reported(body: str) -> None:
    assert _values(body) == []


SETTER = "async def set_status(payment, status):\n    payment.status = status\n"


def test_a_setter_called_with_the_event_status_is_reported_at_the_call() -> None:
    body = "    from store import set_status\n    await set_status(payment, data['status'])\n"
    code = code_of({"w": HEAD + body, "store": SETTER})
    (found,) = event_writes(code, "w.hook")
    assert found.caller is not None and found.caller.name == "w.hook"
    assert found.value == "data['status']"


@pytest.mark.parametrize(
    "call",
    [
        "    await set_status(payment, 'paid')\n",
        "    if payment.is_paid:\n        return\n    await set_status(payment, data['status'])\n",
    ],
)
def test_a_setter_with_a_constant_or_after_a_check_is_not(call: str) -> None:
    body = "    from store import set_status\n" + call
    assert _values(body, {"store": SETTER}) == []


def test_an_early_status_set_on_the_event_is_reported() -> None:
    body = (
        "    if data['event'] == 'payment.waiting_for_capture':\n"
        "        payment.status = 'waiting_for_capture'\n"
        "    elif data['event'] == 'payment.succeeded':\n"
        "        payment.status = 'succeeded'\n"
    )
    assert _values(body) == ["data['event'] == 'payment.waiting_for_capture'"]
