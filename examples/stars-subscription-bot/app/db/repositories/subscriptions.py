"""Data access for subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Subscription, SubscriptionStatus


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, subscription: Subscription) -> None:
        self._session.add(subscription)

    async def get_by_user(self, user_id: int) -> Subscription | None:
        result = await self._session.execute(
            select(Subscription).where(Subscription.user_id == user_id)
        )
        return result.scalar_one_or_none()

    async def get_by_user_for_update(self, user_id: int) -> Subscription | None:
        result = await self._session.execute(
            select(Subscription).where(Subscription.user_id == user_id).with_for_update()
        )
        return result.scalar_one_or_none()

    async def expire_due(self, now: datetime) -> list[int]:
        """Flip every active subscription past its end date to EXPIRED; return the user ids."""
        result = await self._session.execute(
            update(Subscription)
            .where(
                Subscription.status == SubscriptionStatus.ACTIVE,
                Subscription.expires_at <= now,
            )
            .values(status=SubscriptionStatus.EXPIRED)
            .returning(Subscription.user_id)
        )
        return list(result.scalars())

    async def due_for_reminder(self, now: datetime, window: timedelta) -> Sequence[Subscription]:
        result = await self._session.execute(
            select(Subscription)
            .where(
                Subscription.status == SubscriptionStatus.ACTIVE,
                Subscription.expires_at > now,
                Subscription.expires_at <= now + window,
                Subscription.reminder_sent_at.is_(None),
            )
            .order_by(Subscription.expires_at)
            .limit(500)
        )
        return result.scalars().all()

    async def mark_reminded(self, subscription_id: int) -> None:
        await self._session.execute(
            text("UPDATE subscriptions SET reminder_sent_at = now() WHERE id = :id"),
            {"id": subscription_id},
        )

    async def count_by_status(self) -> dict[str, int]:
        result = await self._session.execute(
            text("SELECT status, count(*) FROM subscriptions GROUP BY status")
        )
        return {status: count for status, count in result.all()}
