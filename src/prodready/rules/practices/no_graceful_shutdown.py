"""PRAC002: SIGTERM kills the service, or its long-lived clients are never closed."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.profile import service_profile
from prodready.analysis.project.shutdown import shutdown_state
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="PRAC002",
    name="no-graceful-shutdown",
    title="No graceful shutdown: SIGTERM kills the service or clients stay open",
    dimension=Dimension.PRACTICES,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The service is started in a way that installs no SIGTERM handler — aiogram 2's "
        "`executor.start_polling`, aiogram 3 `start_polling(handle_signals=False)`, PTB "
        "`run_polling(stop_signals=None)` — and nothing else in the process handles it (no "
        "`loop.add_signal_handler`, no web server serving the same app); or "
        "SIGTERM is handled but long-lived clients (the SQLAlchemy engine, an httpx / aiohttp "
        "client, a Redis client, an asyncpg pool) are never closed: no `dispose()` / "
        "`aclose()` / `close()` in a shutdown hook, lifespan or `finally`; or a background "
        "task started at startup that loops until stopped (`self._task = asyncio.create_task("
        "self._poll())`) is never cancelled and awaited (`task.cancel()` then `await task`, "
        "`gather(*tasks, return_exceptions=True)`). Tasks of an `asyncio.TaskGroup`, aiojobs, "
        "APScheduler or PTB's `application.create_task` are stopped by their owner."
    ),
    why=(
        "Docker, Kubernetes and systemd stop a service with SIGTERM, then SIGKILL after a "
        "grace period. Without a handler Python dies at once: updates being processed are cut "
        "half-way (a payment recorded, the subscription not yet extended), `on_shutdown` "
        "never runs, fetched-but-unconfirmed updates come back and run again. Clients never "
        "closed drop their connections mid-transaction, leave `Unclosed client session` "
        "warnings and, across frequent restarts, idle connections the database must time out."
    ),
    fix="""Let the framework handle the signal and close every client when it stops (aiogram 3):

```python
import asyncio

from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import create_async_engine


async def main() -> None:
    engine = create_async_engine("postgresql+asyncpg://app@db/app", pool_pre_ping=True)
    bot = Bot(token="...")
    dp = Dispatcher(engine=engine)
    try:
        await dp.start_polling(bot)  # handle_signals=True: SIGTERM stops polling
    finally:
        await engine.dispose()  # the bot session is closed by start_polling


asyncio.run(main())
```

FastAPI: open clients in `lifespan` and close them after its `yield`; aiohttp: use
`app.cleanup_ctx`.""",
    migration=(
        "aiogram 2 projects: move to aiogram 3 (its polling handles signals) or install "
        "handlers with `loop.add_signal_handler(signal.SIGTERM, ...)` that stop polling and "
        "run the shutdown hooks. Collect every long-lived client in one place (the entry "
        "function, `lifespan`, or a DI container such as dishka) so that one `finally` or "
        "shutdown hook closes them in reverse order; cancel and await background tasks there "
        "too (or run them in an `asyncio.TaskGroup`). Give containers a stop grace period "
        "longer than the slowest handler."
    ),
    libraries=("aiogram", "python-telegram-bot", "sqlalchemy", "httpx", "aiohttp"),
    references=(
        "https://docs.aiogram.dev/en/latest/dispatcher/dispatcher.html",
        "https://fastapi.tiangolo.com/advanced/events/",
        "https://docs.docker.com/reference/cli/docker/container/stop/",
    ),
    practices=(Practice.GRACEFUL_SHUTDOWN,),
)
_SHOWN = 4


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if service_profile(ctx.project) is None:
        return
    state = shutdown_state(ctx.project)
    for entry in state.unhandled:
        how = {"aiogram2": "aiogram 2's executor installs no signal handler"}.get(
            entry.framework, f"{entry.framework} {entry.kind} is started without signal handling"
        )
        yield ctx.finding_at(
            entry.evidence,
            f"{how}, and nothing else handles SIGTERM: a stop kills in-flight updates and "
            "skips the shutdown hooks",
        )
    for task in () if state.unhandled else state.loose_tasks:
        spawn = task.spawn
        running = f"background task `{spawn.kept[0]}` (running `{spawn.runs}()`, a loop until "
        if task.cancelled:  # asyncio.run() awaits cancelled tasks as the loop winds down
            yield ctx.finding_at(
                spawn.evidence,
                f"{running}stopped) is cancelled but never awaited on shutdown: its cleanup "
                "runs only as the event loop winds down, after the clients it uses are closed",
                severity=Severity.INFO,
            )
            continue
        yield ctx.finding_at(
            spawn.evidence,
            f"{running}stopped) is never cancelled on shutdown: it keeps running while the "
            "clients close and is cut at an arbitrary await when the loop ends",
            severity=Severity.MINOR,
        )
    if state.unclosed and not state.unhandled:
        first = state.unclosed[0]
        names = [f"{r.kind} `{r.name}` ({r.evidence})" for r in state.unclosed[:_SHOWN]]
        more = f", +{len(state.unclosed) - _SHOWN} more" if len(state.unclosed) > _SHOWN else ""
        yield ctx.finding_at(
            first.evidence,
            f"{len(state.unclosed)} long-lived client(s) are never closed when the service "
            f"stops: {', '.join(names)}{more}",
            severity=Severity.MINOR,
        )
