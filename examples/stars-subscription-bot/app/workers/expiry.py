"""Background jobs: expire ended subscriptions, remind users before the end, refresh rates."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import get_settings
from app.db.repositories.subscriptions import SubscriptionRepository
from app.services.exchange_rates import ExchangeRateClient, RateProviderError
from app.services.subscriptions import utcnow

logger = logging.getLogger(__name__)

RENEW_KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="⭐ Renew Premium", callback_data="subscribe")]]
)


async def expire_subscriptions(bot: Bot, session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory() as session:
        user_ids = await SubscriptionRepository(session).expire_due(utcnow())
        await session.commit()

    for user_id in user_ids:
        try:
            await bot.send_message(
                user_id,
                "Your Premium subscription has ended. Renew any time to get it back.",
                reply_markup=RENEW_KEYBOARD,
            )
        except TelegramForbiddenError:
            logger.info("user %s blocked the bot, expiry notice not sent", user_id)
    return len(user_ids)


async def send_reminders(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], days_before: int
) -> int:
    sent = 0
    async with session_factory() as session:
        repo = SubscriptionRepository(session)
        due = await repo.due_for_reminder(utcnow(), timedelta(days=days_before))
        for subscription in due:
            try:
                await bot.send_message(
                    subscription.user_id,
                    f"Your Premium ends on {subscription.expires_at:%d %B}. "
                    "Renew now to keep your access.",
                    reply_markup=RENEW_KEYBOARD,
                )
            except TelegramForbiddenError:
                continue
            await repo.mark_reminded(subscription.id)
            sent += 1
        await session.commit()
    return sent


async def run_expiry_worker(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], interval: float
) -> None:
    days_before = get_settings().reminder_days_before
    logger.info("expiry worker started (every %.0f s)", interval)
    while True:
        try:
            expired = await expire_subscriptions(bot, session_factory)
            reminded = await send_reminders(bot, session_factory, days_before)
            if expired or reminded:
                logger.info("expiry tick: %d expired, %d reminded", expired, reminded)
        except Exception:
            logger.exception("expiry tick failed")
        try:
            await asyncio.sleep(interval)
        except asyncio.CancelledError:
            pass


async def run_rate_refresher(rates: ExchangeRateClient, stop: asyncio.Event, interval: float) -> None:
    try:
        while not stop.is_set():
            try:
                await rates.refresh()
            except RateProviderError:
                logger.warning("exchange-rate refresh failed, keeping the cached rate", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
    except asyncio.CancelledError:
        logger.info("rate refresher cancelled, closing HTTP sessions")
        await rates.close()
        raise
