"""ASY011: blocking drivers and CPU-heavy calls in async code that ruff's ASYNC rules miss."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.engines import long_running_path
from prodready.analysis.project.profile import imported_modules, one_shot_script
from prodready.analysis.revisit import call_to, current_function_name, function_at, walk_semantic
from prodready.analysis.source import ParsedFile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.blocking import Blocking, BlockingMatcher, sync_mongo

META = RuleMeta(
    id="ASY011",
    name="blocking-call-in-async-beyond-ruff",
    title="Sync driver or CPU-heavy call inside async code",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    what=(
        "An `async def` uses a synchronous client that ruff's ASYNC rules do not know — "
        "`sqlite3` / `psycopg2` / `pymysql` connections, a sync SQLAlchemy `Session` or "
        "engine, a pymongo collection (`find_one`, `update_one`...), `redis.Redis`, boto3, "
        "`smtplib.SMTP`, `requests.Session` — or CPU-heavy work (`bcrypt.hashpw` / "
        "`checkpw`, `hashlib.pbkdf2_hmac` / `scrypt`, passlib / argon2 hashing, PIL image "
        "resizing). Also one level down (low confidence): an `async def` calling a project "
        "function that does so. Scripts that run once (`asyncio.run(...)`, serving nothing), "
        "tests and tools are left alone: nothing else shares their event loop."
    ),
    why=(
        "The event loop runs every handler of the process on one thread. A sync query waiting "
        "on a lock, a Redis call during a failover, an S3 upload or an SMTP handshake blocks "
        "all of them for its whole duration; a bcrypt hash at cost 12 takes ~250 ms of pure "
        "CPU. Under load every user sees the bot freeze, webhook requests time out and are "
        "redelivered, and health checks fail."
    ),
    fix="""Use the async driver, or run the sync call in a worker thread:

```python
import asyncio

import asyncpg
import bcrypt
from redis.asyncio import Redis

cache = Redis.from_url("redis://localhost:6379/0", socket_timeout=5)


async def user_name(pool: asyncpg.Pool, user_id: int) -> str | None:
    cached = await cache.get(f"user:{user_id}")
    if cached is not None:
        return cached.decode()
    return await pool.fetchval("SELECT name FROM users WHERE id = $1", user_id)


async def check_password(password: bytes, hashed: bytes) -> bool:
    return await asyncio.to_thread(bcrypt.checkpw, password, hashed)
```

Async drivers: asyncpg or psycopg 3 (`AsyncConnection`), aiosqlite, aiomysql, SQLAlchemy
`create_async_engine` + `AsyncSession`, `redis.asyncio`, aioboto3, aiosmtplib, httpx.AsyncClient.
With AnyIO: `await anyio.to_thread.run_sync(fn, *args)`.""",
    migration=(
        "Replace the driver where the code is async end to end; where a sync library must "
        "stay (a reporting job, an SDK without an async client), wrap each call in "
        "`asyncio.to_thread` and remember the default pool has `min(32, cpu_count + 4)` "
        "threads — give heavy CPU work its own `ProcessPoolExecutor`."
    ),
    libraries=(
        "asyncpg",
        "psycopg",
        "redis",
        "aioboto3",
        "aiosmtplib",
        "anyio",
    ),
    references=(
        "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
        "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html",
        "https://redis.readthedocs.io/en/stable/examples/asyncio_examples.html",
    ),
)

# Async code that runs before the service serves anyone: blocking there delays start-up only.
_START_UP = re.compile(
    r"(^|_)(main|startup|start_up|lifespan|preflight|setup|init|bootstrap|migrate)($|_)"
)
_CLI = ("argparse", "click", "typer")  # command-line tools: nothing else shares their loop


def _walk(
    ctx: ProjectContext,
    parsed: ParsedFile,
    matcher: BlockingMatcher,
    sync: dict[str, Blocking],
    serving: bool,
) -> Iterator[Finding]:
    """Findings for async functions of the file (when it serves); blocking sync functions go
    to `sync`."""
    seen: set[tuple[int, str]] = set()
    for node in walk_semantic(parsed):
        found = matcher.match(node, parsed.semantic) if isinstance(node, ast.Call) else None
        function = parsed.semantic.enclosing_function() if found else None
        if found is None or function is None:
            continue
        if not parsed.semantic.in_async_function():
            sync.setdefault(current_function_name(parsed) or "", found)
        elif not serving or _START_UP.search(function.name):
            continue
        elif (id(function), found.remedy) not in seen:
            seen.add((id(function), found.remedy))
            verb = "burns CPU on" if found.cpu else "blocks"
            where = f"the event loop in `async def {function.name}`"
            confidence = Confidence.MEDIUM if "PIL" in found.label else None
            message = f"{found.label} {verb} {where}; use {found.remedy}"
            yield ctx.finding(parsed, node, message, confidence=confidence)


def _one_level_down(
    ctx: ProjectContext, sync: dict[str, Blocking], cli: set[str]
) -> Iterator[Finding]:
    graph = ctx.project.calls
    for name, info in graph.functions.items():
        serving = info.is_async and not _START_UP.search(name.rsplit(".", 1)[-1])
        callees = [c for c in graph.callees(name) if c in sync] if serving else []
        callees = [] if info.evidence.path in cli else callees
        parsed = ctx.file(info.evidence.path) if callees else None
        function = function_at(parsed, info.evidence.line) if parsed is not None else None
        for callee in callees:
            site = call_to(function, callee) if function is not None else None
            if site is None or parsed is None:
                continue
            found = sync[callee]
            message = (
                f"`{ast.unparse(site.func)[:40]}()` is a sync function that uses "
                f"{found.label}: it blocks the event loop here; use {found.remedy}"
            )
            yield ctx.finding(parsed, site, message, confidence=Confidence.LOW)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    sync: dict[str, Blocking] = {}
    cli: set[str] = set()  # files whose event loop serves nobody else: no finding in them
    mongo = sync_mongo(name for fact in ctx.project.facts for name in fact.imports)
    imported = imported_modules(ctx.project)
    for fact in ctx.project.facts:
        if any(n.split(".")[0] in _CLI for n in fact.imports) and not fact.handlers + fact.routes:
            cli.add(fact.path)
            continue
        if one_shot_script(fact, imported) or not long_running_path(fact.path):
            cli.add(fact.path)  # a cron script, a test, a tool: still a source of `sync` helpers
        if (matcher := BlockingMatcher(fact.imports, mongo)).relevant:
            parsed = ctx.file(fact.path)
            serving = fact.path not in cli
            yield from _walk(ctx, parsed, matcher, sync, serving) if parsed is not None else ()
    sync.pop("", None)
    yield from _one_level_down(ctx, sync, cli)
