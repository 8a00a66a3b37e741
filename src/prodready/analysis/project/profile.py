"""What kind of program the project is, and where it starts: project rules about missing
practices apply to services (bots, web apps, workers), never to libraries or CLI tools."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Evidence, FileFacts

# Calls that start a long-running service, seen in any project function.
_START_CALLS = (
    ("start_polling", "bot"),
    ("run_polling", "bot"),
    ("run_webhook", "bot"),
    ("start_webhook", "bot"),
    ("uvicorn.run", "web"),
    ("run_app", "web"),
    ("infinity_polling", "bot"),
)


@dataclass(frozen=True, slots=True)
class ServiceProfile:
    """kinds: "bot" / "web" / "worker"; entry: where the service starts (or is defined)."""

    kinds: tuple[str, ...]
    entry: Evidence
    started_explicitly: bool


def _start_calls(project: Project) -> Iterable[tuple[str, Evidence]]:
    sites = [(info.calls, info.evidence) for info in project.calls.functions.values()]
    sites += [(fact.module_calls, Evidence(fact.path)) for fact in project.facts]
    for calls, evidence in sites:
        for call in calls:
            for suffix, kind in _START_CALLS:
                if call == suffix or call.endswith("." + suffix):
                    yield kind, evidence


def service_profile(project: Project) -> ServiceProfile | None:
    """The service the project runs, or None for a library / tool.

    A framework in the stack alone is not enough (a library may depend on aiogram): the
    project must start it (polling, webhook, uvicorn, run_app) or have an entry point the
    adapters recognise.
    """
    entries = project.model.entry_points
    if entries:
        kinds = tuple(sorted({_kind(e.kind) for e in entries}))
        # A Django site's settings / wsgi.py are boilerplate: the bot or app beside it is where
        # the service starts, when there is one.
        entry = next((e for e in entries if e.framework != "django"), entries[0])
        return ServiceProfile(kinds, entry.evidence, True)
    started = sorted(_start_calls(project), key=lambda item: item[1])
    if started:
        kinds = tuple(sorted({kind for kind, _ in started}))
        return ServiceProfile(kinds, started[0][1], True)
    return None


def one_shot_script(fact: FileFacts, imported: frozenset[str] = frozenset()) -> bool:
    """A file run as a script that ends (`asyncio.run(main())` at module level or under
    `if __name__ == "__main__":`), serves nothing itself (no handler, route, job, hook or
    entry point) and that no other module imports (`imported`: the targets of the project's
    imports): a cron job or a one-off broadcast, whose event loop nothing else shares."""
    serves = fact.handlers or fact.routes or fact.jobs or fact.hooks or fact.entry_points
    used = any(target == fact.module or target.startswith(fact.module + ".") for target in imported)
    return "asyncio.run" in fact.module_calls and not serves and not used


def imported_modules(project: Project) -> frozenset[str]:
    """What the project's files import (qualified targets: "app.db.engine", "sqlalchemy")."""
    return frozenset(i.target for fact in project.facts for i in fact.module_imports)


def _kind(entry_kind: str) -> str:
    return {"polling": "bot", "webhook": "bot", "web-app": "web"}.get(entry_kind, "worker")


def first_import(project: Project, prefixes: Iterable[str]) -> Evidence | None:
    """Where the project first imports any of `prefixes` (a package or a dotted name); a
    module a Django settings module names in INSTALLED_APPS / MIDDLEWARE / LOGGING (which
    Django imports: "django_prometheus", "pythonjsonlogger.json.JsonFormatter") counts."""
    wanted = tuple(prefixes)
    for fact in project.facts:
        for name in fact.imports:
            if any(name == p or name.startswith(p + ".") for p in wanted):
                return Evidence(fact.path)
    for entry in project.model.entry_points:
        for detail in entry.details if entry.framework == "django" else ():
            name = detail.removeprefix("uses:")
            if any(name == p or name.startswith(p + ".") for p in wanted):
                return entry.evidence
    return None
