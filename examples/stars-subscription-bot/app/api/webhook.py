"""Telegram delivers updates here (setWebhook points at POST /telegram/webhook)."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from fastapi import APIRouter, Request

logger = logging.getLogger(__name__)

router = APIRouter(tags=["telegram"])

WEBHOOK_PATH = "/telegram/webhook"


@router.post(WEBHOOK_PATH)
async def telegram_webhook(request: Request) -> dict[str, bool]:
    bot: Bot = request.app.state.bot
    dispatcher: Dispatcher = request.app.state.dispatcher
    update = Update.model_validate(await request.json(), context={"bot": bot})
    await dispatcher.feed_update(bot, update)
    return {"ok": True}
