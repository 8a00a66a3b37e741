"""Per-file facts about a service's lifecycle: the clients and pools it builds, what closes,
stops or cancels things, signal handlers, and schemas created at run time instead of by
migrations. Read by the graceful-shutdown, client-per-request, singleton and migration checks.

- Resource: `x = httpx.AsyncClient(...)`, `self.engine = create_async_engine(...)`,
  `async with aiohttp.ClientSession() as s:` (managed), `Bot(token)` passed on (name "");
  one a function assigns to a name it declares `global` counts as built at module level.
- Release: every reference to a close-like method (`await engine.dispose()`,
  `app.on_cleanup.append(client.close)`, `task.cancel()`) and `async with x:` on a kept object.
- signal_handlers: `loop.add_signal_handler(...)`, `signal.signal(...)`,
  `anyio.open_signal_receiver(...)`.
- schema_creations: `<...>metadata.create_all` called or passed (`conn.run_sync(Base.metadata
  .create_all)`), Tortoise `generate_schemas()`; not in Alembic migrations.
- alembic_stamps: `command.stamp` called or passed on (`run_in_executor(None, command.stamp,
  ...)`): a database built from the models, then marked as migrated.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.caches import CACHE_STATE
from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import Evidence, FileFacts, Release, Resource
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import walk_with_ancestors

# Constructors of long-lived clients, by qualified name (aliases the imports give).
RESOURCE_KINDS: dict[str, str] = {
    "sqlalchemy.ext.asyncio.create_async_engine": "engine",
    "sqlalchemy.create_engine": "engine",
    "httpx.AsyncClient": "http-client",
    "httpx.Client": "http-client",
    "aiohttp.ClientSession": "http-client",
    "aiohttp.client.ClientSession": "http-client",
    "requests.Session": "http-client",
    "aiogram.Bot": "bot",
    "aiogram.client.bot.Bot": "bot",
    "aiogram.bot.Bot": "bot",
    "aiogram.bot.bot.Bot": "bot",
    "telegram.Bot": "bot",
    "redis.asyncio.Redis": "redis",
    "redis.asyncio.from_url": "redis",
    "redis.asyncio.Redis.from_url": "redis",
    "redis.asyncio.client.Redis": "redis",
    "redis.asyncio.StrictRedis": "redis",
    "aioredis.from_url": "redis",
    "aioredis.Redis": "redis",
    "aioredis.Redis.from_url": "redis",
    "asyncpg.create_pool": "pool",
    "aiomysql.create_pool": "pool",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "session-maker",
    "sqlalchemy.orm.sessionmaker": "session-maker",
}
# Keywords that make a client reuse another one's connections.
_SHARING = frozenset({"session", "connection_pool", "connector"})
RELEASE_METHODS = frozenset(
    {"dispose", "close", "aclose", "shutdown", "disconnect", "cancel", "stop", "wait_closed"}
)
_SIGNAL_CALLS = frozenset({"signal.signal", "anyio.open_signal_receiver"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def function_of(module: str, ancestors: list[ast.AST]) -> str:
    """The call graph's name of the function holding the node ("" at module level and in
    class bodies, which run once like module-level code)."""
    scopes = [n for n in ancestors if isinstance(n, _SCOPES)]
    if not scopes or isinstance(scopes[-1], ast.ClassDef):
        return ""
    return ".".join([module, *(n.name for n in scopes)])


def _target(parent: ast.AST | None, node: ast.Call) -> tuple[str, bool]:
    """(where the built object is kept, managed by a with-block)."""
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        return dotted_name(parent.targets[0]) or "", False
    if isinstance(parent, ast.AnnAssign) and parent.value is node:
        return dotted_name(parent.target) or "", False
    if isinstance(parent, ast.withitem) and parent.context_expr is node:
        return (dotted_name(parent.optional_vars) or "") if parent.optional_vars else "", True
    return "", False


def _constructor(node: ast.Call, parsed: ParsedFile) -> str | None:
    name = parsed.semantic.imports.qualified_name(node.func)
    return name if name in RESOURCE_KINDS else None


def _is_migration(tree: ast.Module) -> bool:
    return any(isinstance(s, ast.FunctionDef) and s.name == "upgrade" for s in tree.body)


def _creates_schema(node: ast.Attribute) -> bool:
    if node.attr == "create_all":
        owner = dotted_name(node.value) or ""
        return owner.rsplit(".", 1)[-1] in {"metadata", "meta", "METADATA"}
    return node.attr == "generate_schemas" and (dotted_name(node.value) or "") == "Tortoise"


def _declared_global(ancestors: list[ast.AST], name: str) -> bool:
    """True when the innermost function declares `name` global / nonlocal: what it builds
    there is kept beyond the call (a lazily built singleton)."""
    function = next((n for n in reversed(ancestors) if isinstance(n, _SCOPES)), None)
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any(
        isinstance(n, ast.Global | ast.Nonlocal) and name in n.names for n in ast.walk(function)
    )


def _reused(ancestors: list[ast.AST], name: str) -> bool:
    """True when what the call builds outlives it: the client is returned (or is the return
    value), or the function caches (declares `global` / `nonlocal`, a `*cache*` decorator,
    its class keeps cache state such as `self._cached_key` / `self._expires_at`)."""
    if isinstance(ancestors[-1] if ancestors else None, ast.Return):
        return True
    function = next((n for n in reversed(ancestors) if isinstance(n, _SCOPES)), None)
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    decorators = " ".join(ast.unparse(d) for d in function.decorator_list).lower()
    owner = next((n for n in reversed(ancestors) if isinstance(n, ast.ClassDef)), None)
    if owner is not None and any(
        isinstance(n, ast.Attribute) and CACHE_STATE.search(n.attr) for n in ast.walk(owner)
    ):
        return True  # the class keeps what it fetched (`self._cached_key`, `_expires_at`)
    return "cache" in decorators or any(
        isinstance(n, ast.Global | ast.Nonlocal)
        or (isinstance(n, ast.Return) and isinstance(n.value, ast.Name) and n.value.id == name)
        for n in ast.walk(function)
    )


def _nodes(parsed: ParsedFile) -> Iterator[tuple[ast.AST, list[ast.AST], str]]:
    """Every node with its ancestors and the function that holds it."""
    ancestors: list[ast.AST] = []
    module = parsed.source.module
    for node in walk_with_ancestors(parsed.tree, ancestors):
        if isinstance(node, ast.Call | ast.Attribute | ast.AsyncWith | ast.With):
            yield node, ancestors, function_of(module, ancestors)


def _resource(
    node: ast.Call, constructor: str, ancestors: list[ast.AST], function: str, where: Evidence
) -> Resource:
    name, managed = _target(ancestors[-1] if ancestors else None, node)
    kept = bool(name) and "." not in name and _declared_global(ancestors, name)
    built_in = "" if kept else function
    return Resource(
        kind=RESOURCE_KINDS[constructor],
        constructor=constructor,
        name=name,
        evidence=where,
        function=built_in,
        managed=managed,
        reused=_reused(ancestors, name) if built_in else False,
        shared=any(k.arg in _SHARING for k in node.keywords),
    )


def extract(parsed: ParsedFile) -> FileFacts:
    path, module = parsed.source.path, parsed.source.module
    resources: list[Resource] = []
    releases: list[Release] = []
    signals: list[Evidence] = []
    creations: list[Evidence] = []
    stamps: list[Evidence] = []
    migration = _is_migration(parsed.tree)
    for node, ancestors, function in _nodes(parsed):
        where = Evidence(path, getattr(node, "lineno", 0))
        if isinstance(node, ast.Call):
            constructor = _constructor(node, parsed)
            if constructor is not None:
                resources.append(_resource(node, constructor, ancestors, function, where))
            called = parsed.semantic.imports.qualified_name(node.func) or ""
            if called in _SIGNAL_CALLS or (
                isinstance(node.func, ast.Attribute) and node.func.attr == "add_signal_handler"
            ):
                signals.append(where)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            if node.attr in RELEASE_METHODS:
                receiver = dotted_name(node.value)
                if receiver:
                    releases.append(Release(receiver, node.attr, where, function))
            elif _creates_schema(node) and not migration:
                creations.append(where)
            elif node.attr == "stamp" and (dotted_name(node.value) or "").endswith("command"):
                stamps.append(where)
        elif isinstance(node, ast.AsyncWith | ast.With):
            for item in node.items:
                held = dotted_name(item.context_expr)
                if held:
                    releases.append(Release(held, "async with", where, function))
    return FileFacts(
        path=path,
        module=module,
        resources=tuple(resources),
        releases=tuple(releases),
        signal_handlers=tuple(signals),
        schema_creations=tuple(creations),
        alembic_stamps=tuple(stamps),
    )
