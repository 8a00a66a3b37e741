"""/start, the main menu, promo codes and the "My subscription" screen."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.repositories.users import UserRepository
from app.services.analytics import AnalyticsClient
from app.services.subscriptions import SubscriptionService

logger = logging.getLogger(__name__)

router = Router(name="menu")

PROMO_DISCOUNTS = {"LAUNCH20": 20, "FRIENDS10": 10}

# user id -> promo code to apply to the next invoice
_applied_promo: dict[int, str] = {}


def main_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="⭐ Get Premium", callback_data="subscribe")],
            [InlineKeyboardButton(text="My subscription", callback_data="status")],
        ]
    )


def take_promo_discount(user_id: int) -> int:
    """Percent discount from the user's promo code, consumed once."""
    code = _applied_promo.pop(user_id, None)
    return PROMO_DISCOUNTS.get(code, 0) if code else 0


@router.message(CommandStart())
async def cmd_start(
    message: Message,
    session_factory: async_sessionmaker[AsyncSession],
    analytics: AnalyticsClient,
) -> None:
    user = message.from_user
    if user is None:
        return
    async with session_factory() as session:
        await UserRepository(session).upsert(user.id, user.username, user.language_code)
        await session.commit()
    analytics.track_in_background("bot_started", user.id, {"lang": user.language_code})
    await message.answer(
        "Premium gives you unlimited searches and priority support.\n"
        "One month costs a few Stars and renews when you pay again.",
        reply_markup=main_keyboard(),
    )


@router.message(Command("promo"))
async def cmd_promo(message: Message, command: CommandObject) -> None:
    if message.from_user is None:
        return
    code = (command.args or "").strip().upper()
    if code not in PROMO_DISCOUNTS:
        await message.answer("This promo code is not valid.")
        return
    _applied_promo[message.from_user.id] = code
    await message.answer(f"Promo code applied: {PROMO_DISCOUNTS[code]}% off your next payment.")


@router.callback_query(F.data == "status")
async def on_status(
    callback: CallbackQuery, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    try:
        async with session_factory() as session:
            view = await SubscriptionService(session).get_view(callback.from_user.id)
    except Exception:
        return

    if view is None:
        text = "You have no subscription yet."
    else:
        text = (
            f"Status: <b>{view.status.value}</b>\n"
            f"Valid until: {view.expires_at:%d %B %Y}\n"
            f"Days left: {view.days_left}"
        )
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(text, reply_markup=main_keyboard())
        except TelegramBadRequest:
            pass
    await callback.answer()
