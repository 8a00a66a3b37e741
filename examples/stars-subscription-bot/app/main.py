"""ASGI entry point: `uvicorn app.main:app`.

Starts the bot (webhook by default, long polling when SUBBOT_USE_WEBHOOK=false), the admin
API and the background jobs in one process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from fastapi import FastAPI

from app.api import admin, webhook
from app.bot.handlers import menu, payments
from app.config import get_settings
from app.db.base import Base, SessionLocal, engine
from app.services.analytics import AnalyticsClient
from app.services.exchange_rates import ExchangeRateClient
from app.workers.expiry import run_expiry_worker, run_rate_refresher

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logger = logging.getLogger("subbot")

settings = get_settings()

_background: set[asyncio.Task[Any]] = set()


def _spawn(coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
    task = asyncio.create_task(coro, name=name)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


def build_dispatcher(rates: ExchangeRateClient, analytics: AnalyticsClient) -> Dispatcher:
    dispatcher = Dispatcher(session_factory=SessionLocal, rates=rates, analytics=analytics)
    dispatcher.include_routers(menu.router, payments.router)
    return dispatcher


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)

    bot = Bot(settings.bot_token, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    rates = ExchangeRateClient(settings.rates_primary_url, settings.rates_fallback_url)
    await rates.start()
    analytics = AnalyticsClient(settings.analytics_base_url)
    dispatcher = build_dispatcher(rates, analytics)
    app.state.bot = bot
    app.state.dispatcher = dispatcher
    app.state.analytics = analytics

    if settings.use_webhook:
        await bot.set_webhook(
            f"{settings.webhook_base_url}{webhook.WEBHOOK_PATH}",
            secret_token=settings.webhook_secret or None,
            allowed_updates=dispatcher.resolve_used_update_types(),
        )
    else:
        await bot.delete_webhook()
        _spawn(dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False), "polling")

    loop = asyncio.get_running_loop()
    loop.create_task(run_expiry_worker(bot, SessionLocal, settings.expiry_check_interval))

    stop = asyncio.Event()
    _spawn(run_rate_refresher(rates, stop, settings.rates_refresh_interval), "rate-refresher")
    logger.info("started (webhook=%s)", settings.use_webhook)
    try:
        yield
    finally:
        stop.set()
        if not settings.use_webhook:
            await dispatcher.stop_polling()
        await asyncio.gather(*_background, return_exceptions=True)
        await analytics.aclose()
        await rates.close()
        await bot.session.close()
        await engine.dispose()


app = FastAPI(title="stars-subscription-bot", version="0.4.2", lifespan=lifespan)
app.include_router(admin.health_router)
app.include_router(admin.router)
app.include_router(webhook.router)
