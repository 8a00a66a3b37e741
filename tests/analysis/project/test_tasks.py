"""Background task facts: tasks started and kept, where tasks are cancelled or awaited, and
functions that loop until stopped."""

from __future__ import annotations

from prodready.analysis.project import tasks
from tests.analysis.project.helpers import parse_file

_SOURCE = """
import asyncio


class Poller:
    def start(self):
        self._task = asyncio.create_task(self._run())
        task = asyncio.create_task(self._run())
        self._tasks.add(task)
        self.jobs["x"] = asyncio.get_event_loop().create_task(self._run())
        self.group.create_task(self._run())   # a TaskGroup owns it
        asyncio.create_task(self._run())      # not kept: the dangling-task rules' concern

    async def stop(self):
        task = self._task
        task.cancel()
        await task
        for pending in self._tasks:
            pending.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.jobs["x"].cancel()
        for other in asyncio.all_tasks():
            other.cancel()

    async def _run(self):
        while not self._stop.is_set():
            await asyncio.sleep(1)

    async def once(self):
        await asyncio.create_task(self._run())  # awaited on the spot
        done = await asyncio.wait_for(self._task, 5)
        i = 0
        while i < 3:
            i += 1
"""


def test_spawns_kept_and_their_aliases() -> None:
    facts = tasks.extract(parse_file(_SOURCE, "app.poller"))
    spawns = [(s.kept, s.runs, s.function) for s in facts.task_spawns]
    assert spawns == [
        (("self._task",), "self._run", "app.poller.Poller.start"),
        (("task", "self._tasks"), "self._run", "app.poller.Poller.start"),
        (("self.jobs",), "self._run", "app.poller.Poller.start"),
    ]


def test_stops_follow_copies_loops_and_mappings() -> None:
    facts = tasks.extract(parse_file(_SOURCE, "app.poller"))
    stops = {(s.name, s.how) for s in facts.task_stops}
    assert {
        ("self._task", "cancel"),
        ("self._task", "await"),
        ("self._tasks", "cancel"),
        ("self._tasks", "await"),
        ("self.jobs", "cancel"),
        ("*", "cancel"),
    } <= stops
    assert facts.long_running == ("app.poller.Poller._run",)  # not `while i < 3`


def test_files_without_tasks_or_loops_are_skipped() -> None:
    facts = tasks.extract(parse_file("def f():\n    return 1\n", "app.plain"))
    assert not facts.task_spawns and not facts.task_stops and not facts.long_running
