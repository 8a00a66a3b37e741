"""Blocking calls that ruff's flake8-async rules do not know: sync database drivers and ORM
sessions, sync Redis, boto3, smtplib, `requests.Session`, CPU-heavy hashing and image work.
Asked with the semantic model's current node on the call, through a `BlockingMatcher` built
once per file from what the file imports (most files import none of these: nothing to ask)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from prodready.analysis.bindings import origin
from prodready.analysis.semantic import SemanticModel
from prodready.rules.matchers import HTTP_CLIENT_METHODS, keyword


@dataclass(frozen=True, slots=True)
class Blocking:
    """label: what blocks, as the message shows it ("`sqlite3.connect`", "`cache.get` on a sync
    `redis.Redis`"); remedy: the async driver or the thread to use instead."""

    label: str
    remedy: str
    cpu: bool = False


@dataclass(frozen=True, slots=True)
class _Client:
    """Objects built by `makers` whose `methods` block (None: every method but `local`)."""

    makers: frozenset[str]
    remedy: str
    methods: frozenset[str] | None = None
    local: frozenset[str] = frozenset()
    cpu: bool = False


_THREAD = "`await asyncio.to_thread(...)`"
_DRIVERS = {
    "sqlite3.connect": "aiosqlite",
    "psycopg2.connect": "asyncpg or psycopg's AsyncConnection",
    "psycopg.connect": "`psycopg.AsyncConnection.connect`",
    "pymysql.connect": "aiomysql",
    "MySQLdb.connect": "aiomysql",
    "mysql.connector.connect": "aiomysql",
}
_CPU = ("bcrypt.hashpw", "bcrypt.checkpw", "bcrypt.kdf", "hashlib.pbkdf2_hmac", "hashlib.scrypt")
_SA_SESSION = frozenset({"sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session"})
_SYNC_SESSION = Blocking("a sync SQLAlchemy `Session`", "`AsyncSession`")
# Functions that block (or burn CPU) when called.
_CALLS = {
    **{name: Blocking(f"`{name}`", remedy) for name, remedy in _DRIVERS.items()},
    "smtplib.SMTP": Blocking("`smtplib.SMTP`", "aiosmtplib"),
    "smtplib.SMTP_SSL": Blocking("`smtplib.SMTP_SSL`", "aiosmtplib"),
    **dict.fromkeys(_SA_SESSION, _SYNC_SESSION),
    **{name: Blocking(f"`{name}`", _THREAD, cpu=True) for name in _CPU},
}
_SESSIONMAKER = "sqlalchemy.orm.sessionmaker"
_DB_IO = frozenset({"execute", "executemany", "executescript", "cursor", "commit", "rollback"})
_CLIENTS = (
    *(_Client(frozenset({name}), remedy, _DB_IO) for name, remedy in _DRIVERS.items()),
    _Client(
        frozenset(
            f"redis.{kind}{tail}"
            for kind in ("Redis", "StrictRedis", "client.Redis", "client.StrictRedis")
            for tail in ("", ".from_url")
        )
        | {"redis.from_url"},
        "`redis.asyncio`",
        local=frozenset({"pipeline", "pubsub", "lock", "register_script", "get_encoder"}),
    ),
    _Client(
        frozenset({"boto3.client", "boto3.resource"}),
        "aioboto3, or " + _THREAD,
        local=frozenset({"generate_presigned_url", "generate_presigned_post", "get_paginator"}),
    ),
    _Client(
        frozenset({"requests.Session", "requests.session", "requests.sessions.Session"}),
        "`httpx.AsyncClient`",
        HTTP_CLIENT_METHODS,
    ),
    _Client(
        frozenset({"sqlalchemy.create_engine"}),
        "`create_async_engine`",
        frozenset({"connect", "begin", "execute"}),
    ),
    _Client(
        _SA_SESSION,
        "`AsyncSession`",
        frozenset({"execute", "query", "commit", "get", "scalars", "scalar", "flush", "refresh"}),
    ),
    _Client(  # a file or an upload, of any size (not `Image.new`: made in memory, small)
        frozenset({"PIL.Image.open"}),
        _THREAD,
        frozenset({"save", "resize", "thumbnail", "convert", "rotate", "transform"}),
        cpu=True,
    ),
    _Client(
        frozenset({"smtplib.SMTP", "smtplib.SMTP_SSL"}),
        "aiosmtplib",
        frozenset({"sendmail", "send_message", "login", "starttls", "quit"}),
    ),
    _Client(
        frozenset({"passlib.context.CryptContext", "argon2.PasswordHasher"}),
        _THREAD,
        frozenset({"hash", "verify"}),
        cpu=True,
    ),
)


# Sync pymongo collection calls that do a round trip. Motor's and PyMongo Async's are awaited
# (never matched); `find` / `aggregate` only build a cursor and are left out.
_MONGO_IO = frozenset(
    {
        "find_one",
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "count_documents",
        "find_one_and_update",
        "find_one_and_replace",
        "find_one_and_delete",
        "bulk_write",
    }
)
_MONGO_REMEDY = "PyMongo's `AsyncMongoClient` (or Motor)"


def sync_mongo(imports: Iterable[str]) -> bool:
    """True when a project's imports hold pymongo and no async Mongo client (Motor, PyMongo
    Async, Beanie, ODMantic): its collection calls block wherever they are made."""
    names = tuple(imports)
    asynchronous = (
        "motor",
        "beanie",
        "odmantic",
        "pymongo.AsyncMongoClient",
        "pymongo.asynchronous",
    )
    return _imported_any("pymongo", names) and not any(
        _imported_any(a, names) for a in asynchronous
    )


def _imported_any(prefix: str, names: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in names)


def _imported(target: str, bindings: Iterable[str]) -> bool:
    return any(target == b or target.startswith(b + ".") for b in bindings)


class BlockingMatcher:
    """The blocking calls one file can make, given what it imports."""

    def __init__(self, imports: Iterable[str], mongo: bool = False) -> None:
        """mongo: the project talks to MongoDB through sync pymongo only (`sync_mongo`)."""
        bindings = tuple(imports)
        self.mongo = mongo
        self.calls = {n: b for n, b in _CALLS.items() if _imported(n, bindings)}
        self.clients = tuple(c for c in _CLIENTS if any(_imported(m, bindings) for m in c.makers))
        self.sessionmaker = _imported(_SESSIONMAKER, bindings)

    @property
    def relevant(self) -> bool:
        return bool(self.calls or self.clients or self.sessionmaker or self.mongo)

    def _sessionmaker_call(self, func: ast.expr, semantic: SemanticModel) -> bool:
        """`SessionLocal()` where the module set `SessionLocal = sessionmaker(...)` (sync)."""
        value = semantic.module_value(func.id) if isinstance(func, ast.Name) else None
        if not isinstance(value, ast.Call) or semantic.qualified_name(value.func) != _SESSIONMAKER:
            return False
        made = keyword(value, "class_")
        return made is None or "Async" not in ast.unparse(made.value)

    def _method(self, func: ast.Attribute, semantic: SemanticModel) -> Blocking | None:
        method = func.attr
        wanted = [
            c
            for c in self.clients
            if method not in c.local and (c.methods is None or method in c.methods)
        ]
        if not wanted:
            return None
        receiver = func.value
        if isinstance(receiver, ast.Call):  # `boto3.client("s3").upload_file(...)`
            built = semantic.qualified_name(receiver.func) or ""
        else:
            built = origin(receiver, semantic) or ""
        client = next((c for c in wanted if built in c.makers), None)
        if client is None:
            return None
        label = f"`{ast.unparse(func)[:40]}` on a sync `{built}`"
        return Blocking(label, client.remedy, client.cpu)

    def match(self, call: ast.Call, semantic: SemanticModel) -> Blocking | None:
        """What blocks in `call` (the semantic model's current node), if anything; awaited
        calls are never blocking (the object is async whatever its name says)."""
        if isinstance(semantic.parent, ast.Await):
            return None
        if self.calls:
            name = semantic.qualified_name(call.func)
            if name in self.calls:
                return self.calls[name]
        if self.sessionmaker and self._sessionmaker_call(call.func, semantic):
            shown = f"`{ast.unparse(call.func)}()` (a sync `sessionmaker`)"
            return Blocking(shown, "`async_sessionmaker`")
        if self.mongo and isinstance(call.func, ast.Attribute) and call.func.attr in _MONGO_IO:
            held = call.func.value  # `db["app"].users.find_one`: shown as `users.find_one`
            owner = held.attr if isinstance(held, ast.Attribute) else ast.unparse(held)[:30]
            shown = f"`{owner}.{call.func.attr}` on a sync pymongo collection"
            return Blocking(shown, _MONGO_REMEDY)
        if self.clients and isinstance(call.func, ast.Attribute):
            return self._method(call.func, semantic)
        return None
