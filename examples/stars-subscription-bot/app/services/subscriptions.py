"""Subscription lifecycle: activation after payment, renewal, refund, status."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db.models import Payment, Subscription, SubscriptionStatus
from app.db.repositories.payments import PaymentRepository
from app.db.repositories.subscriptions import SubscriptionRepository
from app.db.repositories.users import UserRepository
from app.services.exchange_rates import ExchangeRateClient

logger = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class PaymentNotFound(Exception):
    pass


class AlreadyRefunded(Exception):
    pass


@dataclass(frozen=True, slots=True)
class ActivationResult:
    expires_at: datetime
    renewed: bool


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    status: SubscriptionStatus
    expires_at: datetime
    days_left: int


class SubscriptionService:
    def __init__(self, session: AsyncSession, rates: ExchangeRateClient | None = None) -> None:
        self._session = session
        self._users = UserRepository(session)
        self._subscriptions = SubscriptionRepository(session)
        self._payments = PaymentRepository(session)
        self._rates = rates
        self._period = timedelta(days=get_settings().subscription_days)

    async def activate_from_payment(
        self,
        *,
        user_id: int,
        username: str | None,
        charge_id: str,
        provider_charge_id: str | None,
        payload: str,
        stars: int,
        is_recurring: bool,
    ) -> ActivationResult:
        await self._users.upsert(user_id, username, None)

        usd_per_star = await self._rates.usd_per_star() if self._rates is not None else 0.0
        self._payments.add(
            Payment(
                user_id=user_id,
                telegram_payment_charge_id=charge_id,
                provider_payment_charge_id=provider_charge_id,
                invoice_payload=payload,
                stars_amount=stars,
                amount_usd=stars * usd_per_star,
                is_recurring=is_recurring,
            )
        )

        now = utcnow()
        subscription = await self._subscriptions.get_by_user(user_id)
        if subscription is None:
            subscription = Subscription(
                user_id=user_id,
                status=SubscriptionStatus.ACTIVE,
                started_at=now,
                expires_at=now + self._period,
            )
            self._subscriptions.add(subscription)
            renewed = False
        else:
            start_from = max(subscription.expires_at, now)
            subscription.expires_at = start_from + self._period
            subscription.status = SubscriptionStatus.ACTIVE
            subscription.reminder_sent_at = None
            renewed = True

        await self._session.commit()
        logger.info("subscription for %s active until %s", user_id, subscription.expires_at)
        return ActivationResult(expires_at=subscription.expires_at, renewed=renewed)

    async def refund(self, bot: Bot, charge_id: str) -> Payment:
        payment = await self._payments.get_by_charge_id_for_update(charge_id)
        if payment is None:
            raise PaymentNotFound(charge_id)
        if payment.refunded_at is not None:
            raise AlreadyRefunded(charge_id)

        await bot.refund_star_payment(user_id=payment.user_id, telegram_payment_charge_id=charge_id)

        now = utcnow()
        payment.refunded_at = now
        subscription = await self._subscriptions.get_by_user_for_update(payment.user_id)
        if subscription is not None:
            subscription.expires_at = max(subscription.expires_at - self._period, now)
            if subscription.expires_at <= now:
                subscription.status = SubscriptionStatus.REFUNDED
        await self._session.commit()
        return payment

    async def get_view(self, user_id: int) -> SubscriptionView | None:
        subscription = await self._subscriptions.get_by_user(user_id)
        if subscription is None:
            return None
        days_left = max((subscription.expires_at - utcnow()).days, 0)
        return SubscriptionView(subscription.status, subscription.expires_at, days_left)
