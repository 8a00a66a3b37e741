from __future__ import annotations

import ast

import pytest

from prodready.analysis.project.effects import Effects
from prodready.analysis.project.refunds import (
    REFUND_EVENT,
    event_test,
    granted,
    provider_callback,
    refund_paths,
    revoked_elsewhere,
    takes_back,
)
from tests.analysis.project.payment_helpers import code_of

PAID = """
from aiogram import F, Router
router = Router()

@router.message(F.successful_payment)
async def paid(message, session):
    user = await session.get(User, message.from_user.id)
    user.balance += message.successful_payment.total_amount
    await session.commit()
"""


def _test(source: str) -> str:
    return event_test(ast.parse(source, mode="eval").body, REFUND_EVENT)


@pytest.mark.parametrize(
    ("source", "event"),
    [
        ('event["event"] == "refund.succeeded"', "refund.succeeded"),
        ('event.type in ("charge.refunded", "charge.dispute.created")', "charge.refunded"),
        ('status == "refund_paid"', "refund_paid"),
        ('data.get("status") == "REFUNDED"', "REFUNDED"),
        ('payment.status == "refunded"', ""),  # the stored state, not the event
        ('status in ("refunded", "failed")', ""),  # a mix: not a refund branch
        ('event == "refund.failed"', ""),
    ],
)
def test_refund_events(source: str, event: str) -> None:
    assert _test(source) == event


def test_a_refund_handler_that_only_answers_takes_nothing_back() -> None:
    handler = PAID + (
        "\n@router.message(F.refunded_payment)\n"
        "async def refunded(message):\n"
        "    await message.answer('refunded')\n"
    )
    code = code_of({"h": handler})
    (path,) = refund_paths(code)
    assert (path.kind, path.function) == ("refunded_payment", "h.refunded")
    assert not takes_back(code, Effects(code.project), path)
    grant = granted(code, path)
    assert grant is not None and grant.label == "`user.balance += ...`"


@pytest.mark.parametrize(
    "body",
    [
        "    await revoke_subscription(message.from_user.id)\n",
        "    await session.delete(await session.get(Sub, 1))\n",
        "    await session.commit()\n",
        "    await billing.handle_refund(message.refunded_payment)\n",
    ],
)
def test_a_refund_handler_that_writes_or_hands_over_takes_back(body: str) -> None:
    handler = PAID + (
        "\n@router.message(F.refunded_payment)\nasync def refunded(message, session, billing):\n"
        + body
    )
    code = code_of({"h": handler})
    (path,) = refund_paths(code)
    assert takes_back(code, Effects(code.project), path)


def test_a_dict_update_is_not_a_revocation() -> None:
    handler = PAID + (
        "\n@router.message(F.refunded_payment)\nasync def refunded(message):\n"
        "    record = {}\n    record.update(id=1)\n    await message.answer(str(record))\n"
    )
    code = code_of({"h": handler})
    (path,) = refund_paths(code)
    assert not takes_back(code, Effects(code.project), path)


def test_refund_star_payment_callers_count_only_without_a_refund_message_handler() -> None:
    admin = (
        "from aiogram import Router\nfrom aiogram.filters import Command\nrouter = Router()\n"
        "@router.message(Command('refund'))\n"
        "async def refund(message, bot):\n"
        "    await bot.refund_star_payment(message.from_user.id, 'x')\n"
    )
    code = code_of({"h": PAID, "admin": admin})
    assert [p.kind for p in refund_paths(code)] == ["refund_star_payment"]
    handler = PAID + (
        "\n@router.message(F.refunded_payment)\nasync def refunded(message):\n    pass\n"
    )
    code = code_of({"h": handler, "admin": admin})
    assert [p.kind for p in refund_paths(code)] == ["refunded_payment"]


def test_a_provider_refund_branch_and_its_grant() -> None:
    webhook = (
        "from fastapi import APIRouter, Request\nfrom store import credit\n"
        "router = APIRouter()\n"
        "@router.post('/yookassa/webhook')\n"
        "async def yookassa_webhook(request: Request):\n"
        "    event = await request.json()\n"
        "    if event['event'] == 'payment.succeeded':\n"
        "        await credit(event['object']['id'])\n"
        "    elif event['event'] == 'refund.succeeded':\n"
        "        print('refund')\n"
    )
    store = "async def credit(pid):\n    await db.execute('UPDATE users SET balance = 1')\n"
    code = code_of({"w": webhook, "store": store})
    assert provider_callback(code.project.model.routes[0])
    (path,) = refund_paths(code)
    assert (path.kind, path.event, path.evidence.line) == ("provider", "refund.succeeded", 9)
    assert not takes_back(code, Effects(code.project), path)
    grant = granted(code, path)
    assert grant is not None and grant.label == "`credit(...)`"  # a grant by its name


def test_a_refund_function_that_writes_elsewhere_is_found() -> None:
    handler = PAID + (
        "\n@router.message(F.refunded_payment)\nasync def refunded(message):\n    pass\n"
    )
    admin = "async def refund_order(session, order):\n    order.status = 'refunded'\n"
    admin += "    await session.commit()\n"
    code = code_of({"h": handler, "admin": admin})
    (path,) = refund_paths(code)
    assert revoked_elsewhere(code, path) == "admin.refund_order"
    assert revoked_elsewhere(code_of({"h": handler}), path) == ""
