"""ARC005: a client built at module level and imported by many modules."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.layers import big_enough
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ARC005",
    name="global-client-singleton",
    title="Global client objects imported across the code base",
    dimension=Dimension.ARCHITECTURE,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "A client is built at module level — `bot = Bot(...)`, `engine = "
        "create_async_engine(...)`, `session_maker = async_sessionmaker(...)`, an httpx / "
        "aiohttp client, a Redis client — and imported by 5 or more other modules instead of "
        "being passed to them. Projects under 15 modules are not reviewed."
    ),
    why=(
        "A module-level client is created when the module is imported: reading a settings "
        "file, opening pools and needing the token before tests or a CLI command even start; "
        "every importer is tied to that one instance, so tests must patch globals, a second "
        "bot or database (a replica, a test database) cannot be used, and the order of "
        "shutdown is nobody's job — which is how pools end up never closed."
    ),
    fix="""Build clients once in the entry point and hand them to the code that uses them —
aiogram passes keyword arguments of the Dispatcher and middleware data to handlers:

```python
from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine


async def main(token: str, database_url: str) -> None:
    engine = create_async_engine(database_url, pool_pre_ping=True)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    bot = Bot(token=token)
    dp = Dispatcher(sessions=sessions)  # handlers declare `sessions: async_sessionmaker`
    try:
        await dp.start_polling(bot)
    finally:
        await engine.dispose()
```""",
    migration=(
        "Create the clients in `main()` / FastAPI `lifespan` and register them as dependencies "
        "(Dispatcher workflow data, a middleware that opens a session per update, FastAPI "
        "`Depends`, or a DI container such as dishka); change the importing modules one at a "
        "time to receive the client as a parameter, then delete the global."
    ),
    libraries=("aiogram", "fastapi", "sqlalchemy"),
    references=(
        "https://docs.aiogram.dev/en/latest/dispatcher/dependency_injection.html",
        "https://fastapi.tiangolo.com/tutorial/dependencies/",
    ),
)
_MIN_IMPORTERS = 5
_SHOWN = 4


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    facts = ctx.project.facts
    if not big_enough(facts):
        return
    for fact in facts:
        for resource in fact.resources:
            if resource.function or not resource.name or "." in resource.name:
                continue
            name = f"{fact.module}.{resource.name}"
            importers = sorted(f.module for f in facts if name in f.imports)
            if len(importers) < _MIN_IMPORTERS:
                continue
            listed = ", ".join(importers[:_SHOWN])
            more = f", +{len(importers) - _SHOWN} more" if len(importers) > _SHOWN else ""
            yield ctx.finding_at(
                resource.evidence,
                f"module-level {resource.kind} `{resource.name}` is imported by "
                f"{len(importers)} modules ({listed}{more}) instead of being passed to them",
            )
