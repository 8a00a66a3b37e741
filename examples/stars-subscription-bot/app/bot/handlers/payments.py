"""Selling Premium for Telegram Stars: invoice, pre-checkout, successful payment."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, LabeledPrice, Message, PreCheckoutQuery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.bot.handlers.menu import take_promo_discount
from app.config import get_settings
from app.services.analytics import AnalyticsClient
from app.services.exchange_rates import ExchangeRateClient
from app.services.subscriptions import SubscriptionService

logger = logging.getLogger(__name__)

router = Router(name="payments")

PAYLOAD_PREFIX = "premium-30d"
STAR_SUBSCRIPTION_PERIOD = 30 * 24 * 60 * 60


def _price_for(user_id: int) -> int:
    price = get_settings().subscription_price_stars
    discount = take_promo_discount(user_id)
    if discount:
        price = max(1, price * (100 - discount) // 100)
    return price


@router.callback_query(F.data == "subscribe")
async def on_subscribe(callback: CallbackQuery, bot: Bot) -> None:
    user_id = callback.from_user.id
    price = _price_for(user_id)
    await bot.send_invoice(
        chat_id=user_id,
        title="Premium — 30 days",
        description="Unlimited searches and priority support for 30 days.",
        payload=f"{PAYLOAD_PREFIX}:{user_id}",
        currency="XTR",
        prices=[LabeledPrice(label="Premium, 30 days", amount=price)],
    )
    await callback.answer()


@router.message(Command("autorenew"))
async def cmd_autorenew(message: Message, bot: Bot) -> None:
    """A Star subscription link: Telegram charges the user again every 30 days."""
    if message.from_user is None:
        return
    link = await bot.create_invoice_link(
        title="Premium — monthly",
        description="Premium that renews automatically every 30 days. Cancel any time.",
        payload=f"{PAYLOAD_PREFIX}:{message.from_user.id}",
        currency="XTR",
        prices=[LabeledPrice(label="Premium, 1 month", amount=get_settings().subscription_price_stars)],
        subscription_period=STAR_SUBSCRIPTION_PERIOD,
    )
    await message.answer(f"Subscribe with auto-renewal: {link}")


@router.pre_checkout_query()
async def on_pre_checkout(query: PreCheckoutQuery) -> None:
    await query.answer(ok=True)


@router.message(F.successful_payment)
async def on_successful_payment(
    message: Message,
    session_factory: async_sessionmaker[AsyncSession],
    rates: ExchangeRateClient,
    analytics: AnalyticsClient,
) -> None:
    payment = message.successful_payment
    user = message.from_user
    if payment is None or user is None:
        return

    async with session_factory() as session:
        result = await SubscriptionService(session, rates=rates).activate_from_payment(
            user_id=user.id,
            username=user.username,
            charge_id=payment.telegram_payment_charge_id,
            provider_charge_id=payment.provider_payment_charge_id,
            payload=payment.invoice_payload,
            stars=payment.total_amount,
            is_recurring=bool(payment.is_recurring),
        )
    logger.info("payment %s from %s accepted", payment.telegram_payment_charge_id, user.id)

    asyncio.create_task(
        analytics.track(
            "subscription_paid",
            user.id,
            {"stars": payment.total_amount, "renewal": result.renewed, "recurring": payment.is_recurring},
        )
    )

    try:
        await message.answer(
            f"Thank you! Premium is active until <b>{result.expires_at:%d %B %Y}</b>.\n"
            f"Receipt: <code>{payment.telegram_payment_charge_id}</code>"
        )
    except Exception:
        pass
