from __future__ import annotations

from prodready.analysis.project.payments import (
    charge_dedup,
    handles_refunds,
    invoice_sites,
    payment_handlers,
    refund_calls,
    stars_evidence,
)
from tests.analysis.project.payment_helpers import code_of

MODELS = """
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("external_id", "method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(255))
"""


def _handler(body: str) -> str:
    return (
        "from aiogram import F, Router\n"
        "from sqlalchemy import select\n"
        "from models import Payment\n"
        "router = Router()\n\n"
        "@router.message(F.successful_payment)\n"
        "async def paid(message, session):\n"
        "    cid = message.successful_payment.telegram_payment_charge_id\n" + body
    )


def test_a_unique_column_in_a_composite_constraint_deduplicates() -> None:
    code = code_of({"models": MODELS, "h": _handler("    session.add(Payment(external_id=cid))\n")})
    assert charge_dedup(code, "h.paid").kind == "safe"


def test_a_plain_column_does_not() -> None:
    code = code_of({"models": MODELS, "h": _handler("    session.add(Payment(note=cid))\n")})
    found = charge_dedup(code, "h.paid")
    assert (found.kind, found.unique) == ("stored", False)
    assert found.where is not None and (found.where.model, found.where.column) == (
        "Payment",
        "note",
    )


def test_a_check_without_lock_or_constraint_is_racy() -> None:
    body = "    await session.scalar(select(Payment).where(Payment.note == cid))\n"
    found = charge_dedup(code_of({"models": MODELS, "h": _handler(body)}), "h.paid")
    assert (found.kind, found.unique) == ("check", False)


def test_unknown_and_none() -> None:
    code = code_of({"h": _handler("    await service.process_payment(cid)\n")})
    assert charge_dedup(code, "h.paid").kind == "unknown"
    code = code_of({"h": _handler("    await message.answer(f'receipt {cid}')\n")})
    assert charge_dedup(code, "h.paid").kind == "none"


def test_payment_handlers_skip_negated_filters_and_bail_outs() -> None:
    code = code_of(
        {
            "h": """
            from aiogram import F, Router
            router = Router()

            @router.message(F.successful_payment.is_(None))
            async def text(message):
                ...

            @router.message()
            async def anything(message):
                if message.successful_payment:
                    return

            @router.message()
            async def catch_all(message, svc):
                if message.successful_payment:
                    await svc.grant(message.successful_payment.invoice_payload)

            @router.message(F.successful_payment)
            async def paid(message):
                ...
            """
        }
    )
    assert [h.function for h in payment_handlers(code)] == ["h.catch_all", "h.paid"]


def test_stars_refunds_and_invoices() -> None:
    code = code_of(
        {
            "config": 'CURRENCY = "XTR"\n',
            "shop": """
            from config import CURRENCY

            async def buy(bot, chat_id):
                await bot.send_invoice(chat_id, "t", "d", "p", currency=CURRENCY, prices=[])

            async def refund(bot, user_id, charge_id):
                await bot.refund_star_payment(user_id, charge_id)
            """,
        }
    )
    assert [e.path for e in invoice_sites(code.project)] == ["shop.py"]
    assert stars_evidence(code)
    assert refund_calls(code.project) == ["shop.refund"]
    assert not handles_refunds(code)
