"""Odd, broken-looking and very deep code: skipped where unknown, never a crash."""

from __future__ import annotations

import pytest

from prodready.analysis.project.adapters import aiogram, jobs, ptb, web
from prodready.analysis.project.model import Evidence, FileFacts, Handler

from .helpers import parse_file

ADAPTERS = (aiogram, ptb, web, jobs)

ODD = """
import asyncio
from aiogram import Dispatcher, F, Router
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from celery import Celery
from fastapi import FastAPI
from starlette.routing import Route
from telegram.ext import Application, CommandHandler, MessageHandler

router = Router()
dp = Dispatcher()
scheduler = AsyncIOScheduler()
app = FastAPI(exception_handlers={**BASE_HANDLERS}, middleware=BASE_MIDDLEWARE)
celery = Celery(*ARGS)
handlers = [on_message]
kwargs = {}


@router.message
async def no_call(message) -> None:
    return None


@(lambda f: f)
@router.message(*FILTERS, **OPTIONS)
async def starred(message) -> None:
    return None


router.message.register()
router.message.register(*handlers)
dp.errors.register(callback=None)
dp.startup.register()
SimpleRequestHandler(**kwargs).register()
Route()
app.add_api_route()
app.add_middleware()
scheduler.add_job()
scheduler.add_job(func=None)
asyncio.create_task()
asyncio.create_task(make()())
CommandHandler()
MessageHandler(callback=on_message)
app.exception_handler()(None)
celery.conf.beat_schedule = {**OTHER, "x": {"schedule": 5}}
getattr(router, "message")(F.text)(no_call)
"""


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.__name__.rsplit(".", 1)[-1])
def test_odd_patterns_never_raise(adapter: object) -> None:
    facts = adapter.extract(parse_file(ODD, "app.odd"))  # type: ignore[attr-defined]
    assert isinstance(facts, FileFacts)


def test_odd_patterns_give_only_what_is_certain() -> None:
    facts = aiogram.extract(parse_file(ODD, "app.odd"))
    assert facts.handlers == (
        Handler(
            "aiogram3",
            "message",
            "app.odd.starred",
            Evidence("app/odd.py", 26),
            filters=("*FILTERS", "**OPTIONS"),
            router="app.odd.router",
        ),
    )
    assert ptb.extract(parse_file(ODD, "app.odd")).handlers == (
        Handler("ptb", "message", "on_message", Evidence("app/odd.py", 44)),
    )


def _deep_sum(terms: int) -> str:
    return " + ".join(f'"{i}"' for i in range(terms))


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.__name__.rsplit(".", 1)[-1])
def test_very_deep_expressions_do_not_overflow(adapter: object) -> None:
    text = f"""
from aiogram import F, Router
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from telegram.ext import MessageHandler, filters

router = Router()
app = FastAPI()
scheduler = AsyncIOScheduler()


@router.message(F.text == {_deep_sum(2000)})
async def deep(message) -> None:
    scheduler.add_job(deep, "interval", seconds={_deep_sum(2000)})


@app.post({_deep_sum(2000)})
async def route() -> None:
    return None


MessageHandler(filters.Regex({_deep_sum(2000)}), deep)
"""
    facts = adapter.extract(parse_file(text, "app.deep"))  # type: ignore[attr-defined]
    assert isinstance(facts, FileFacts)
