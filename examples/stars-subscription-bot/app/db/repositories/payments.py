"""Data access for Stars payments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Payment


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, payment: Payment) -> None:
        self._session.add(payment)

    async def get_by_charge_id_for_update(self, charge_id: str) -> Payment | None:
        result = await self._session.execute(
            select(Payment)
            .where(Payment.telegram_payment_charge_id == charge_id)
            .with_for_update()
        )
        return result.scalar_one_or_none()

    async def revenue_since(self, since: datetime) -> tuple[int, float]:
        result = await self._session.execute(
            select(
                func.coalesce(func.sum(Payment.stars_amount), 0),
                func.coalesce(func.sum(Payment.amount_usd), 0.0),
            ).where(Payment.created_at >= since, Payment.refunded_at.is_(None))
        )
        stars, usd = result.one()
        return int(stars), float(usd)

    async def user_totals(self, user_id: int) -> tuple[int, int]:
        """Number of payments and Stars paid by one user, refunds excluded."""
        result = await self._session.execute(
            text(
                "SELECT count(*), COALESCE(sum(stars_amount), 0) FROM payments "
                f"WHERE user_id = {user_id} AND refunded_at IS NULL"
            )
        )
        count, stars = result.one()
        return int(count), int(stars)

    async def export_rows(self, since: datetime) -> list[dict[str, Any]]:
        result = await self._session.execute(
            select(Payment).where(Payment.created_at >= since).order_by(Payment.id)
        )
        return [
            {
                "charge_id": p.telegram_payment_charge_id,
                "user_id": p.user_id,
                "stars": p.stars_amount,
                "usd": p.amount_usd,
                "recurring": p.is_recurring,
                "refunded": p.refunded_at is not None,
                "created_at": p.created_at.isoformat(),
            }
            for p in result.scalars()
        ]
