from __future__ import annotations

from prodready.analysis.project.value_flow import CHARGE, PAYLOAD, Use, follow
from tests.analysis.project.payment_helpers import code_of


def _kinds(uses: list[Use]) -> list[tuple[str, str, str]]:
    return [(u.kind, u.model, u.column) for u in uses]


def test_the_charge_id_is_followed_through_calls_and_a_dto() -> None:
    code = code_of(
        {
            "repo": """
            from sqlalchemy import select

            async def exists(session, charge):
                return await session.scalar(select(Payment).where(Payment.charge == charge))

            async def save(session, dto):
                session.add(Payment(charge=dto.external_id, user_id=dto.user_id))
            """,
            "handlers": """
            import repo

            async def on_paid(message, session):
                sp = message.successful_payment
                charge_id = sp.telegram_payment_charge_id
                if await repo.exists(session, charge_id):
                    return
                dto = PaymentDTO(external_id=charge_id, user_id=message.from_user.id)
                await repo.save(session, dto)
            """,
        }
    )
    uses = follow(code, "handlers.on_paid", CHARGE)
    assert _kinds(uses) == [  # the DTO is a "write" too: the schema decides what is a table
        ("write", "PaymentDTO", "external_id"),
        ("lookup", "Payment", "charge"),
        ("write", "Payment", "charge"),
    ]
    assert [u.function for u in uses] == ["handlers.on_paid", "repo.exists", "repo.save"]


def test_a_column_named_like_the_value_is_not_the_value() -> None:
    code = code_of(
        {
            "h": """
            async def on_paid(message, session):
                cid = message.successful_payment.telegram_payment_charge_id
                query = select(Payment).where(Payment.telegram_payment_charge_id == cid)
                row = await session.scalar(query.with_for_update())
            """
        }
    )
    (use,) = follow(code, "h.on_paid", CHARGE)
    assert (use.kind, use.column, use.locked) == ("lookup", "telegram_payment_charge_id", True)


def test_upserts_guards_and_escapes() -> None:
    code = code_of(
        {
            "h": """
            async def on_paid(message, session, redis, service):
                cid = message.successful_payment.telegram_payment_charge_id
                stmt = insert(Payment).values(charge_id=cid)
                stmt = stmt.on_conflict_do_nothing()
                await session.execute(stmt)
                await redis.set(f"paid:{cid}", 1, nx=True)
                try:
                    await session.commit()
                except IntegrityError:
                    return
                await service.process_payment(cid)
                logger.info("paid %s", cid)
            """
        }
    )
    kinds = [u.kind for u in follow(code, "h.on_paid", CHARGE)]
    assert kinds == ["write", "upsert", "nx", "duplicate-guard", "escape"]


def test_the_payload_and_its_parts_are_followed() -> None:
    code = code_of(
        {
            "h": """
            import json

            async def on_paid(message, session):
                order_id = int(message.successful_payment.invoice_payload.split(":")[1])
                extra = json.loads(message.successful_payment.invoice_payload)
                order = await session.get(Order, order_id)
                if order.status != "pending":
                    return
                await session.get(Plan, extra["plan"])
            """
        }
    )
    uses = follow(code, "h.on_paid", PAYLOAD)
    assert [(u.kind, u.model, u.status) for u in uses] == [
        ("key", "Order", True),
        ("key", "Plan", True),
    ]


def test_nothing_is_reported_where_the_value_never_goes() -> None:
    code = code_of({"h": "async def on_paid(message, session):\n    session.add(Log(text='x'))\n"})
    assert follow(code, "h.on_paid", CHARGE) == []
    assert follow(code, "h.missing", CHARGE) == []
