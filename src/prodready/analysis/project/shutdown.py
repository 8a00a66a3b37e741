"""How a service stops: who handles SIGTERM, and which long-lived clients are never closed.

Signals (DOMAIN.md §5): aiogram 3 `start_polling` handles SIGTERM / SIGINT unless
`handle_signals=False`; PTB `run_polling` / `run_webhook` stop on SIGINT / SIGTERM / SIGABRT
unless `stop_signals=None`; web servers (uvicorn, aiohttp `run_app`, an ASGI app served by
one) and worker frameworks (arq, Celery, taskiq) handle SIGTERM (a Django site is left to
its own WSGI / ASGI server process); aiogram 2's
`executor.start_polling` installs no handler, so SIGTERM kills the process without
`on_shutdown` (its `start_webhook` runs aiohttp's `run_app`, which handles it). An explicit
`loop.add_signal_handler` / `signal.signal` anywhere covers every entry point, and signals
switched off in one framework count as handled when another part of the process handles
them (polling with `handle_signals=False` inside a uvicorn-served app).

Long-lived clients: built at module level, in a startup hook / lifespan / entry function, or
kept on `self` in `__init__`, and not in `async with`. One counts as closed when any code
releases something of the same name with a method that fits its kind (`engine.dispose()`,
`client.aclose()`, `bot.session.close()`, a callback `app.on_cleanup.append(x.close)`,
`async with x:`); bots given to aiogram 3 polling or its webhook handler, and PTB's, are
closed by the framework, and Redis clients by `dp.storage.close()` (aiogram's RedisStorage).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.project.build import Project
from prodready.analysis.project.model import EntryPoint, Evidence, Release, Resource, TaskSpawn

_CLOSERS = {
    "engine": frozenset({"dispose"}),
    "http-client": frozenset({"close", "aclose", "async with"}),
    "bot": frozenset({"close", "async with"}),
    "redis": frozenset({"close", "aclose", "disconnect", "async with"}),
    "pool": frozenset({"close", "terminate", "async with"}),
}
_STARTERS = frozenset(
    {"main", "run", "start", "startup", "on_startup", "setup", "create_app", "lifespan"}
    | {"build_app", "init_app", "start_bot", "run_bot", "app_factory", "get_app", "make_app"}
    | {"bootstrap", "init", "on_start", "post_init", "_main", "amain", "async_main"}
)
_OWN_CLOSERS = ("close", "aclose", "shutdown", "stop", "dispose", "__aexit__", "cleanup")
_START_CALLS = ("start_polling", "run_polling", "run_webhook", "run_app", "uvicorn.run")


@dataclass(frozen=True, slots=True)
class Shutdown:
    """unhandled: entry points that SIGTERM kills outright; handled: the evidence that it is
    handled (an entry point or an explicit signal handler); unclosed: long-lived clients
    nothing closes."""

    unhandled: tuple[EntryPoint, ...]
    handled: tuple[Evidence, ...]
    unclosed: tuple[Resource, ...]
    loose_tasks: tuple[LooseTask, ...] = ()


@dataclass(frozen=True, slots=True)
class LooseTask:
    """A task started at startup that runs a loop until stopped, and that nothing cancels and
    awaits: cancelled is True when something cancels it but nothing awaits it."""

    spawn: TaskSpawn
    cancelled: bool


def _handles_signals(entry: EntryPoint) -> bool:
    if entry.framework == "aiogram2":
        return entry.kind != "polling"  # start_webhook runs aiohttp's run_app, which does
    if entry.framework == "aiogram3" and entry.kind == "polling":
        return "handle_signals=False" not in entry.details
    if entry.framework == "ptb":
        return "stop_signals=None" not in entry.details
    return True


def _delegated(entry: EntryPoint, handled: tuple[Evidence, ...]) -> bool:
    """Signal handling switched off on purpose (`handle_signals=False`, `stop_signals=None`)
    because something else in the process handles them (a web server, a signal handler)."""
    return entry.framework != "aiogram2" and bool(handled)


def _starters(project: Project) -> set[str]:
    """Functions that run once when the service starts: hooks, lifespans, entry functions."""
    found = {h.function for h in project.model.hooks if h.kind in {"startup", "lifespan"}}
    for name, info in project.calls.functions.items():
        short = name.rsplit(".", 1)[-1]
        starts = any(call.endswith(_START_CALLS) for call in info.calls)
        if short in _STARTERS or short == "__init__" or starts:
            found.add(name)
    return found


def long_lived(project: Project) -> Iterator[Resource]:
    """Clients built once for the life of the service (not in `async with`)."""
    starters = _starters(project)
    for fact in project.facts:
        if "alembic.context" in fact.imports:
            continue  # Alembic's env.py runs once per migration command, then the process exits
        for resource in fact.resources:
            if resource.managed or not resource.name or resource.kind not in _CLOSERS:
                continue
            in_init = resource.function.endswith(".__init__")
            if in_init and not resource.name.startswith("self."):
                continue
            if not resource.function or resource.function in starters:
                yield resource


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _closes(release: Release, resource: Resource) -> bool:
    methods = _CLOSERS.get(resource.kind, frozenset())
    if release.method not in methods:
        return False
    receiver = release.receiver
    if resource.kind == "redis" and _last(receiver) == "storage":
        return True  # aiogram's RedisStorage.close() closes the client it was given
    if resource.kind == "bot" and receiver.endswith(".session"):
        receiver = receiver.removesuffix(".session")
    return _last(receiver) == _last(resource.name)


def _owner_closes(project: Project, resource: Resource) -> bool:
    """A client kept on `self` by a class that has its own close method (whoever owns the
    object is expected to call it)."""
    if not resource.name.startswith("self.") or not resource.function:
        return False
    owner = resource.function.rsplit(".", 1)[0]
    return any(f"{owner}.{method}" in project.calls.functions for method in _OWN_CLOSERS)


def _framework_closes_bots(project: Project) -> bool:
    for entry in project.model.entry_points:
        if entry.framework == "ptb":
            return True
        if entry.framework == "aiogram3" and "close_bot_session=False" not in entry.details:
            return True
    return False


def shutdown_state(project: Project) -> Shutdown:
    # A Django site runs in its own WSGI / ASGI server process (gunicorn, uvicorn), which
    # handles SIGTERM for it and for nothing else in the project.
    entries = tuple(e for e in project.model.entry_points if e.framework != "django")
    sites = tuple(e.evidence for e in project.model.entry_points if e.framework == "django")
    signals = tuple(e for fact in project.facts for e in fact.signal_handlers)
    handled = signals or tuple(e.evidence for e in entries if _handles_signals(e))
    unhandled = (
        ()
        if signals
        else tuple(e for e in entries if not _handles_signals(e) and not _delegated(e, handled))
    )
    releases = [r for fact in project.facts for r in fact.releases]
    bots_closed = _framework_closes_bots(project)
    unclosed = tuple(
        resource
        for resource in long_lived(project)
        if not (resource.kind == "bot" and bots_closed)
        and not _owner_closes(project, resource)
        and not any(_closes(release, resource) for release in releases)
    )
    return Shutdown(unhandled, handled or sites, unclosed, tuple(loose_tasks(project)))


def _task_key(name: str, function: str) -> str:
    """`self._task` in a method is its class's; other names match by their last part."""
    if name.startswith("self."):
        return f"{function.rsplit('.', 1)[0]}:{_last(name)}"
    return _last(name)


def loose_tasks(project: Project) -> Iterator[LooseTask]:
    """Tasks kept by a startup function (a hook, lifespan, entry function, `start` method, or
    a function one of them calls) that run a loop until stopped, and that no code both
    cancels and awaits (by the name they are kept under, also through `for t in tasks:`). A
    task awaited without a cancel counts as stopped (a stop flag set, then `await
    self._task`); tasks of a TaskGroup, aiojobs or PTB's `application.create_task` are not
    recorded as spawns at all."""
    starters = _starters(project)
    starters |= {callee for name in list(starters) for callee in project.calls.callees(name)}
    forever = {_last(name) for fact in project.facts for name in fact.long_running}
    stops: dict[str, set[str]] = {}
    for fact in project.facts:
        for stop in fact.task_stops:
            stops.setdefault(_task_key(stop.name, stop.function), set()).add(stop.how)
    everything = stops.get("*", set())
    for fact in project.facts:
        for spawn in fact.task_spawns:
            if spawn.function not in starters or _last(spawn.runs) not in forever:
                continue
            hows = set(everything)
            for name in spawn.kept:
                hows |= stops.get(_task_key(name, spawn.function), set())
            if "await" not in hows:
                yield LooseTask(spawn, "cancel" in hows)
