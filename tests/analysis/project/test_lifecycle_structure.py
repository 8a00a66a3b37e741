"""The lifecycle and structure extractors: clients built and released, signal handlers,
schemas created at run time, imports that run, environment reads, type hints."""

from __future__ import annotations

from prodready.analysis.project import lifecycle, structure
from prodready.analysis.project.model import (
    Evidence,
    FunctionSize,
    ModuleImport,
    Release,
    Resource,
    TypeHints,
)
from tests.analysis.project.helpers import parse_file

CLIENTS = """
import httpx
from aiogram import Bot
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine("sqlite+aiosqlite://")
_session = None


async def handler() -> None:
    async with httpx.AsyncClient() as client:
        await client.get("https://x.io")
    bot = Bot("t", session=other.session)


def factory() -> httpx.AsyncClient:
    client = httpx.AsyncClient()
    return client


def lazy() -> httpx.AsyncClient:
    global _session
    _session = httpx.AsyncClient()
    return _session


async def stop() -> None:
    await engine.dispose()
    app.on_cleanup.append(client.aclose)
    async with pool:
        pass
"""


def test_resources_and_releases() -> None:
    facts = lifecycle.extract(parse_file(CLIENTS.lstrip("\n"), "app.clients"))
    path = "app/clients.py"
    assert facts.resources == (
        Resource(
            "engine", "sqlalchemy.ext.asyncio.create_async_engine", "engine", Evidence(path, 5)
        ),
        Resource(
            "http-client",
            "httpx.AsyncClient",
            "client",
            Evidence(path, 10),
            "app.clients.handler",
            managed=True,
        ),
        Resource(
            "bot", "aiogram.Bot", "bot", Evidence(path, 12), "app.clients.handler", shared=True
        ),
        Resource(
            "http-client",
            "httpx.AsyncClient",
            "client",
            Evidence(path, 16),
            "app.clients.factory",
            reused=True,
        ),
        Resource("http-client", "httpx.AsyncClient", "_session", Evidence(path, 22)),
    )
    assert Release("engine", "dispose", Evidence(path, 27), "app.clients.stop") in facts.releases
    assert Release("client", "aclose", Evidence(path, 28), "app.clients.stop") in facts.releases
    assert Release("pool", "async with", Evidence(path, 29), "app.clients.stop") in facts.releases


SIGNALS = """
import asyncio
import signal

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


async def main() -> None:
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, handler)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
"""


def test_signal_handlers_and_schema_creations() -> None:
    facts = lifecycle.extract(parse_file(SIGNALS.lstrip("\n"), "app.main"))
    assert facts.signal_handlers == (Evidence("app/main.py", 12), Evidence("app/main.py", 13))
    assert facts.schema_creations == (Evidence("app/main.py", 15),)


def test_migrations_create_all_is_not_run_time() -> None:
    text = "revision = '1'\n\n\ndef upgrade():\n    Base.metadata.create_all(op.get_bind())\n"
    assert lifecycle.extract(parse_file(text, "migrations.versions.a1")).schema_creations == ()


MODULE = """
import os
from typing import TYPE_CHECKING

from . import sibling
from .db import engine

if TYPE_CHECKING:
    from app.handlers import router

try:
    import orjson
except ImportError:
    orjson = None

TOKEN = os.getenv("TOKEN")
DEBUG = os.environ["DEBUG"]


def public(value, other):
    from app.services import later

    return os.environ.get("X")


def typed(value: int) -> int:
    return value


class Service:
    def run(self, value: int):
        return value

    def _private(self, value):
        return value
"""


def test_imports_env_reads_and_hints() -> None:
    facts = structure.extract(parse_file(MODULE.lstrip("\n"), "app.config"))
    assert facts.module_imports == (
        ModuleImport("os", 1),
        ModuleImport("typing.TYPE_CHECKING", 2),
        ModuleImport("app.sibling", 4),
        ModuleImport("app.db.engine", 5),
        ModuleImport("orjson", 11),
        ModuleImport("app.services.later", 20, deferred=True),
    )
    assert facts.env_reads == tuple(Evidence("app/config.py", n) for n in (15, 16, 22))
    assert facts.type_hints == (TypeHints(public=3, partial=1, untyped=(("public", 19),)),)


HANDLER = """
from sqlalchemy import select


async def buy(query, session) -> None:
    user = await session.scalar(select(User))
    if user is None:
        return
    for item in user.items:
        if item.paid:
            continue
    await query.answer("ok")


def small() -> int:
    return 1
"""


def test_function_sizes_of_branchy_functions() -> None:
    facts = structure.extract(parse_file(HANDLER.lstrip("\n"), "app.handlers"))
    assert facts.function_sizes == (FunctionSize("buy", 4, 7, 3, database=True),)
