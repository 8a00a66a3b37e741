"""A script that runs once (`asyncio.run(...)`) and serves nothing: nothing shares its loop."""

from __future__ import annotations

from prodready.analysis.project.build import file_facts
from prodready.analysis.project.profile import one_shot_script
from tests.analysis.project.helpers import parse_file

_CRON = """
import asyncio


async def expire_trials() -> None:
    ...


if __name__ == "__main__":
    asyncio.run(expire_trials())
"""

_BOT = """
import asyncio

from aiogram import Bot, Dispatcher, Router

router = Router()


@router.message()
async def echo(message) -> None:
    await message.answer(message.text)


async def main() -> None:
    dp = Dispatcher()
    dp.include_router(router)
    await dp.start_polling(Bot("TOKEN"))


asyncio.run(main())
"""

_MODULE = """
async def expire_trials() -> None:
    ...
"""


def _script(text: str) -> bool:
    return one_shot_script(file_facts(parse_file(text, "jobs.expire")))


def test_a_cron_script_runs_once() -> None:
    assert _script(_CRON)


def test_a_bot_started_with_asyncio_run_serves() -> None:
    assert not _script(_BOT)


def test_a_module_without_asyncio_run_is_no_script() -> None:
    assert not _script(_MODULE)


def test_a_module_other_files_import_is_no_script() -> None:
    fact = file_facts(parse_file(_CRON, "jobs.expire"))
    assert not one_shot_script(fact, frozenset({"jobs.expire.expire_trials"}))
    assert one_shot_script(fact, frozenset({"jobs.other"}))
