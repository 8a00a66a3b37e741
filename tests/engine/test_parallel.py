"""Worker processes give exactly the findings, notes and facts of the in-process run."""

from __future__ import annotations

from pathlib import Path

from prodready.config.settings import Settings
from prodready.engine.parallel import MIN_FILES_FOR_WORKERS
from prodready.engine.run import run_review
from prodready.rules.registry import discover

MODULE = """import asyncio
import aiohttp

state = {{}}


async def handler_{n}(message) -> None:
    state[message.chat.id] = {n}
    async with aiohttp.ClientSession() as session:
        await session.get("https://example.org")
    asyncio.create_task(handler_{n}(message))
"""


def test_workers_match_the_in_process_review(tmp_path: Path) -> None:
    for n in range(MIN_FILES_FOR_WORKERS + 10):
        (tmp_path / f"m{n}.py").write_text(MODULE.format(n=n), encoding="utf-8")
    (tmp_path / "broken.py").write_text("def (:\n", encoding="utf-8")
    catalogue = discover()
    one = run_review([tmp_path], Settings(ruff=False, jobs=1), catalogue)
    two = run_review([tmp_path], Settings(ruff=False, jobs=2), catalogue)
    assert one.findings == two.findings
    assert len(one.findings) >= 3 * (MIN_FILES_FOR_WORKERS + 10)
    assert one.notes == two.notes
    assert one.project.model == two.project.model
    assert len(one.project.calls.functions) == len(two.project.calls.functions)
    assert (one.files, one.lines, one.reviewed) == (two.files, two.lines, two.reviewed)
