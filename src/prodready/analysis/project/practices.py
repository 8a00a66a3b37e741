"""The production-practices checklist (spec section 10) as the project model shows it.

`assess_practices(project)` decides each practice: *present* with the evidence (the library
call, hook, table or endpoint), *missing* with the code that needs it, *not needed* with the
reason, or *not applicable* when no service runs (a library or a command-line tool). It is
pure: it reads the model, the call graph and the per-file facts. The judge then lets
findings of the rules tagged with a practice turn it *missing*.
"""

from __future__ import annotations

from collections.abc import Callable

from prodready.analysis.project import practice_evidence as data
from prodready.analysis.project.build import Project
from prodready.analysis.project.effects import Effects
from prodready.analysis.project.model import Evidence, PracticeAssessment
from prodready.analysis.project.practice_evidence import (
    MISSING,
    NOT_NEEDED,
    PRESENT,
    assessment,
    short,
)
from prodready.analysis.project.profile import service_profile
from prodready.analysis.project.shutdown import shutdown_state
from prodready.domain.result import PracticeStatus
from prodready.domain.taxonomy import Practice

_RETRIES: tuple[str, ...] = (
    "tenacity.",
    "stamina.",
    "backoff.",
    "aiohttp_retry.",
    "async_retrying.",
)
_RETRIES += ("httpx.AsyncHTTPTransport", "telegram.ext.AIORateLimiter")
_BREAKERS = ("purgatory.", "aiobreaker.", "pybreaker.", "circuitbreaker.", "aiocircuitbreaker.")
_SPAWNS = ("asyncio.create_task", "asyncio.ensure_future", "*.create_task")
_SUPERVISORS = ("apscheduler", "arq", "taskiq", "celery", "ptb-job-queue")
_NOT_A_SERVICE = (
    "no service runs here (no polling, webhook, web app or worker is started): a library or "
    "command-line tool has no production runtime to assess"
)


def _uses(project: Project, prefixes: tuple[str, ...]) -> list[tuple[Evidence, str]]:
    """Functions (and modules) that call or are decorated with names under `prefixes`."""
    found: list[tuple[Evidence, str]] = []
    for info in project.calls.functions.values():
        names = [n for n in (*info.decorators, *info.calls) if n.startswith(prefixes)]
        found += [(info.evidence, f"{short(info.name)} uses {names[0]}")] if names else []
    for fact in project.facts:
        names = [n for n in fact.module_calls if n.startswith(prefixes)]
        found += [(Evidence(fact.path), f"module-level {names[0]}")] if names else []
    return sorted(found)


def _outbox(project: Project, effects: Effects) -> PracticeAssessment:
    practice = Practice.OUTBOX
    tables = [t for t in project.model.schema.tables if "outbox" in t.name.lower()]
    if tables:
        shown = ((t.evidence, f"table {t.name}") for t in tables)
        return assessment(practice, PRESENT, "an outbox table holds the events to deliver", shown)
    flows = effects.dual_writes
    if flows:
        shown = (
            (
                d.function.evidence,
                f"{short(d.function.name)}: {d.commit.effect.label}"
                f"{d.commit.via}, {d.write.effect.label}{d.write.via}",
            )
            for d in flows
        )
        reason = (
            f"{len(flows)} flow(s) commit to the database and change an external system: a "
            "failure between the two leaves them disagreeing"
        )
        return assessment(practice, MISSING, reason, shown)
    if not any(e.kind == "commit" for found in effects.direct.values() for e in found):
        return assessment(practice, NOT_NEEDED, "no code commits a database transaction")
    reason = (
        "no flow both commits to the database and writes to an external system (HTTP writes, "
        "payment SDK calls, queue publishes): there is no dual write to make atomic"
    )
    return assessment(practice, NOT_NEEDED, reason)


def _external(
    project: Project, effects: Effects, only: set[str] | None = None
) -> list[tuple[Evidence, str]]:
    return sorted(
        (info.evidence, f"{short(info.name)} calls {effect.label}")
        for info, effect in effects.calling("external")
        if only is None or info.name in only
    )


def _breakers(project: Project, effects: Effects) -> PracticeAssessment:
    practice = Practice.CIRCUIT_BREAKERS
    used = _uses(project, _BREAKERS)
    if used:
        return assessment(practice, PRESENT, "a circuit breaker guards external calls", used)
    calls = _external(project, effects)
    if not calls:
        reason = (
            "no third-party API is called (Telegram's Bot API aside: when it is down, a breaker "
            "has nothing to fall back to)"
        )
        return assessment(practice, NOT_NEEDED, reason)
    on_path = _external(project, effects, set(effects.request_paths))
    if not on_path:
        reason = (
            "third-party APIs are called only from background work, never while a user waits: "
            "retries with backoff are enough there"
        )
        return assessment(practice, NOT_NEEDED, reason, calls)
    reason = (
        f"{len(on_path)} function(s) on handler / route paths call third-party APIs with no "
        "breaker: a slow provider ties up every update that needs it"
    )
    return assessment(practice, MISSING, reason, on_path)


def _retries(project: Project, effects: Effects) -> PracticeAssessment:
    practice = Practice.RETRY_BACKOFF
    used = _uses(project, _RETRIES)
    if used:
        return assessment(practice, PRESENT, "a retry library with backoff wraps calls", used)
    calls = _external(project, effects)
    if not calls:
        reason = (
            "no third-party API is called; Telegram flood errors in broadcasts are RES005's "
            "to check"
        )
        return assessment(practice, NOT_NEEDED, reason)
    on_path = _external(project, effects, set(effects.request_paths))
    reason = (
        f"{len(calls)} function(s) call third-party APIs and no retry library (tenacity, "
        "stamina, backoff) is used: one transient error fails the operation"
    )
    return assessment(practice, MISSING, reason, on_path or calls)


def _supervision(project: Project) -> PracticeAssessment:
    practice = Practice.TASK_SUPERVISION
    jobs = project.model.jobs
    if not jobs:
        spawned = _uses(project, _SPAWNS)
        if spawned:
            reason = (
                "background tasks are started with create_task (ASY001 and ASY012 check that "
                "they are kept and survive an error); no scheduler or worker framework runs them"
            )
            return assessment(practice, PracticeStatus.NOT_ASSESSED, reason, spawned)
        reason = "no background work: no scheduler, task queue or long-running task"
        return assessment(practice, NOT_NEEDED, reason)
    loose = [j for j in jobs if j.kind == "task-loop" and "reference-discarded" in j.details]
    if loose:
        reason = (
            f"{len(loose)} background loop(s) run as tasks nobody keeps or awaits: when one "
            "dies, nothing notices or restarts it"
        )
        shown = ((j.evidence, f"create_task({short(j.function)}())") for j in loose)
        return assessment(practice, MISSING, reason, shown)
    frameworks = sorted({j.kind for j in jobs if j.kind in _SUPERVISORS})
    reason = (
        f"background work runs under {', '.join(frameworks)}, which logs a failed run and "
        "keeps the schedule"
        if frameworks
        else "background loops run as tasks whose handles are kept"
    )
    return assessment(
        practice, PRESENT, reason, ((j.evidence, f"{j.kind} {short(j.function)}") for j in jobs)
    )


def _graceful(project: Project) -> PracticeAssessment:
    practice = Practice.GRACEFUL_SHUTDOWN
    state = shutdown_state(project)
    if state.unhandled:
        reason = (
            "SIGTERM (what Docker and systemd send) kills the process: nothing stops the "
            "service in order"
        )
        shown = ((e.evidence, f"{e.framework} {e.kind}") for e in state.unhandled)
        return assessment(practice, MISSING, reason, shown)
    if state.unclosed:
        reason = (
            f"SIGTERM is handled, but {len(state.unclosed)} long-lived client(s) are never "
            "closed on the way out"
        )
        shown = ((r.evidence, f"{r.kind} `{r.name}` is never closed") for r in state.unclosed)
        return assessment(practice, MISSING, reason, shown)
    if state.loose_tasks:
        reason = (
            f"SIGTERM is handled, but {len(state.loose_tasks)} background task(s) started at "
            "startup are never cancelled and awaited on the way out"
        )
        shown = (
            (t.spawn.evidence, f"task `{t.spawn.kept[0]}` is not stopped")
            for t in state.loose_tasks
        )
        return assessment(practice, MISSING, reason, shown)
    reason = (
        "SIGTERM stops the service through its framework or a signal handler, every "
        "long-lived client found is closed and every background task found is stopped"
    )
    return assessment(practice, PRESENT, reason, ((e, "stops on SIGTERM") for e in state.handled))


def assess_practices(project: Project) -> tuple[PracticeAssessment, ...]:
    """One assessment per practice, in the Practice enum's order."""
    if service_profile(project) is None:
        status = PracticeStatus.NOT_APPLICABLE
        return tuple(PracticeAssessment(p, status, _NOT_A_SERVICE) for p in Practice)
    effects = Effects(project)
    deciders: dict[Practice, Callable[[], PracticeAssessment]] = {
        Practice.OUTBOX: lambda: _outbox(project, effects),
        Practice.CIRCUIT_BREAKERS: lambda: _breakers(project, effects),
        Practice.RETRY_BACKOFF: lambda: _retries(project, effects),
        Practice.TASK_SUPERVISION: lambda: _supervision(project),
        Practice.GRACEFUL_SHUTDOWN: lambda: _graceful(project),
        Practice.IDEMPOTENCY_KEYS: lambda: data.idempotency(project),
        Practice.DB_STATE_TRANSITIONS: lambda: data.state_transitions(project),
        Practice.HEALTH_ENDPOINTS: lambda: data.health(project),
        Practice.MIGRATIONS: lambda: data.migrations(project),
    }
    return tuple(deciders[p]() for p in Practice)
