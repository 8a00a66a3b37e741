"""DB022: a PostgreSQL / MySQL engine of a long-running service that never checks a pooled
connection before handing it out."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.dataflow import closes_something
from prodready.analysis.engines import engine_dialect, kept_beyond_call, long_running_path
from prodready.analysis.revisit import walk_semantic
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB022",
    name="engine-without-pool-pre-ping",
    title="Database engine without pool_pre_ping or pool_recycle",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "`create_async_engine(...)` / `create_engine(...)` for PostgreSQL or MySQL in the "
        "service's code passes neither `pool_pre_ping=True` nor `pool_recycle=...` (nor a "
        "`poolclass` such as `NullPool`). SQLAlchemy's defaults are `pool_pre_ping=False` and "
        "`pool_recycle=-1`: a pooled connection is reused however long it sat idle."
    ),
    why=(
        "Connections in the pool die while idle: a database restart or failover, PgBouncer's "
        "or a cloud load balancer's idle timeout, MySQL's `wait_timeout` (8 hours). Without a "
        "check on checkout the next statement on such a connection fails (asyncpg "
        "`ConnectionDoesNotExistError`, 'server closed the connection unexpectedly', MySQL "
        "'server has gone away'); SQLAlchemy then invalidates the pool, but the update or "
        "request that drew the dead connection fails — after every night of low traffic and "
        "after every database maintenance, one error per pooled connection."
    ),
    fix="""Ping on checkout (one cheap round trip; asyncpg's own `ping`), and recycle before
the server's or proxy's idle timeout:

```python
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

engine = create_async_engine(
    "postgresql+asyncpg://app@db/app",
    pool_pre_ping=True,
    pool_recycle=1800,  # seconds, below the proxy's idle timeout
)
Session = async_sessionmaker(engine, expire_on_commit=False)
```""",
    migration=(
        "Add `pool_pre_ping=True` to the engine of each long-running process (bot, API, "
        "worker). Where a proxy or MySQL closes idle connections after a known time, also set "
        "`pool_recycle` below it. Behind PgBouncer in transaction mode use `poolclass=NullPool` "
        "instead and let PgBouncer pool."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/pooling.html#disconnect-handling-pessimistic",
        "https://docs.sqlalchemy.org/en/20/core/pooling.html#setting-pool-recycle",
    ),
)

_BUILDERS = frozenset({"create_async_engine", "create_engine"})
_CHECKS = frozenset({"pool_pre_ping", "pool_recycle", "poolclass"})
_SERVER_DRIVERS = ("asyncpg", "psycopg", "psycopg2")


def _checked(call: ast.Call) -> bool:
    """The call sets a check (or a pool class), or passes `**options` prodready cannot read."""
    for keyword in call.keywords:
        if keyword.arg is None:
            return True
        if keyword.arg in _CHECKS:
            value = keyword.value
            return not (isinstance(value, ast.Constant) and value.value in (False, None))
    return False


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    model = ctx.project.model
    server_only = any(model.uses(k) for k in _SERVER_DRIVERS) and not model.uses("aiosqlite")
    for parsed in ctx.files:
        text = parsed.source.lines
        if not long_running_path(parsed.source.path) or not any("_engine(" in t for t in text):
            continue
        for node in walk_semantic(parsed):
            if not isinstance(node, ast.Call) or _checked(node):
                continue
            name = parsed.semantic.qualified_name(node.func) or ""
            if (
                not name.startswith(("sqlalchemy", "sqlmodel"))
                or name.rsplit(".", 1)[-1] not in _BUILDERS
            ):
                continue
            function = parsed.semantic.enclosing_function()
            if function is not None and (
                closes_something(function) or not kept_beyond_call(function, node)
            ):
                continue  # a short-lived engine (per call: DB004), not the service's pool
            dialect = engine_dialect(node, parsed.semantic, function)
            if dialect is None and server_only:
                dialect = "the project's database"
            if dialect is None or dialect == "sqlite":
                continue
            yield ctx.finding(
                parsed,
                node,
                f"`{ast.unparse(node.func)}(...)` for {dialect} has no `pool_pre_ping=True` "
                "or `pool_recycle`: a pooled connection that died while idle fails the next "
                "request that draws it",
            )
