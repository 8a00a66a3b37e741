"""Benchmark: review synthetic services of growing size and print the figures.

    python bench/bench_review.py            # 25k, 50k, 100k, 200k lines
    python bench/bench_review.py 100000     # one size

It writes a generated project to a temporary folder (removed afterwards), runs the same
pipeline as `prodready review` with every rule selected (ruff included, workers on every
core), and prints wall time, CPU time (this process, its workers and ruff) and lines/s per
size, so that linear scaling (constant lines/s and CPU per line) can be checked by eye.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from prodready.config.settings import Settings
from prodready.engine.run import run_review
from prodready.judge.judge import judge
from prodready.rules.registry import discover

MODULE = '''"""Generated module {n}."""
import asyncio
import logging

import aiohttp
from sqlalchemy import select, text
from tenacity import retry, stop_after_attempt, wait_exponential_jitter

log = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=10)


class Repository{n}:
    def __init__(self, session) -> None:
        self.session = session

    async def get(self, user_id: int):
        result = await self.session.execute(select(User).where(User.id == user_id))
        return result.scalar_one_or_none()

    async def stats(self, day: str):
        query = text("SELECT count(*) FROM orders WHERE day = :day")
        return await self.session.execute(query, {{"day": day}})


@retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter(1, 10))
async def fetch_{n}(url: str) -> dict:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        async with session.get(url) as response:
            response.raise_for_status()
            return await response.json()


async def handler_{n}(message, repo: Repository{n}) -> None:
    try:
        user = await repo.get(message.from_user.id)
    except Exception:
        log.exception("lookup failed")
        raise
    if user is None:
        await message.answer("unknown user")
        return
    for index in range(3):
        if index % 2:
            await message.answer(str(index))
    tasks = set()
    task = asyncio.create_task(fetch_{n}("https://example.org"))
    tasks.add(task)
    task.add_done_callback(tasks.discard)
'''
LINES_PER_MODULE = MODULE.count("\n")


def build(folder: Path, lines: int) -> int:
    modules = max(1, lines // LINES_PER_MODULE)
    package = folder / "service"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for n in range(modules):
        (package / f"module_{n}.py").write_text(MODULE.format(n=n), encoding="utf-8")
    return modules


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(lines: int) -> tuple[int, int, float, float, int]:
    catalogue = discover()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, lines)
        cpu = _cpu()
        started = time.perf_counter()
        raw = run_review([folder], settings, catalogue)
        judge(
            root=raw.root,
            files=raw.files,
            lines=raw.lines,
            findings=raw.findings,
            suppressions=raw.suppressions,
            notes=raw.notes,
            selected=raw.selected,
            catalogue=catalogue.metas,
            settings=settings,
        )
        elapsed = time.perf_counter() - started
        cpu = _cpu() - cpu
    return raw.files, raw.lines, elapsed, cpu, len(raw.findings)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [25_000, 50_000, 100_000, 200_000]
    print(f"{'files':>7} {'lines':>9} {'wall s':>8} {'cpu s':>8} {'lines/s':>10} {'findings':>9}")
    for size in sizes:
        files, lines, seconds, cpu, findings = measure(size)
        print(
            f"{files:>7} {lines:>9} {seconds:>8.2f} {cpu:>8.2f} "
            f"{lines / seconds:>10.0f} {findings:>9}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
