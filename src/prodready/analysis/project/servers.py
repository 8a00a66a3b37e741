"""Which database servers a project talks to: PostgreSQL, SQLite, MySQL — from its drivers
(declared or imported), SQLAlchemy dialect imports, Alembic `postgresql_*` options, and the
URLs written in the files that make engines or hold settings."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import partial

from prodready.analysis.project.build import Project
from prodready.analysis.source import ParsedFile, ParsedFiles

_SERVERS = {
    "postgresql": ("asyncpg", "psycopg", "psycopg2", "psycopg2-binary", "psycopg-binary", "aiopg"),
    "sqlite": ("aiosqlite", "sqlite3"),
    "mysql": ("aiomysql", "asyncmy", "pymysql", "mysqlclient", "mysqldb"),
}
_DIALECT = "sqlalchemy.dialects."
_URL = re.compile(r"\s*(postgres(?:ql)?|sqlite|mysql|mariadb)(?:\+\w+)?:/", re.I)
_URL_SERVER = {"postgres": "postgresql", "mariadb": "mysql"}
_MEMO = "servers.urls"


def _url_servers(parsed: ParsedFile) -> frozenset[str]:
    found: set[str] = set()
    for node in ast.walk(parsed.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _URL.match(node.value)
            if match:
                scheme = match[1].lower()
                found.add(_URL_SERVER.get(scheme, scheme))
    return frozenset(found)


def _url_files(project: Project) -> Iterator[str]:
    for fact in project.facts:
        name = fact.path.rsplit("/", 1)[-1]
        engine = any(i.startswith("sqlalchemy") for i in fact.imports)
        if engine or "config" in name or "settings" in name:
            yield fact.path


def database_servers(project: Project, files: ParsedFiles | None = None) -> frozenset[str]:
    """The servers ("postgresql", "sqlite", "mysql") the drivers, dialect imports, Alembic
    options and (given the files) database URLs name; empty when nothing tells."""
    names = {d.name.lower() for d in project.model.dependencies}
    names |= {c.key for c in project.model.stack}
    imported = {i.lower() for f in project.facts for i in f.imports}
    names |= {i.split(".", 1)[0] for i in imported}
    found = {server for server, drivers in _SERVERS.items() if names & set(drivers)}
    for server in _SERVERS:
        if any(i.startswith(_DIALECT + server) for i in imported):
            found.add(server)
    for migration in project.model.schema.migrations:
        if any(key.startswith("postgresql_") for op in migration.ops for key, _ in op.options):
            found.add("postgresql")
    if files is not None and found <= {"sqlite"}:
        for path in _url_files(project):
            parsed = files.get(path)
            if parsed is not None:
                found |= parsed.memoized(_MEMO, partial(_url_servers, parsed))
    return frozenset(found)


def is_postgresql(project: Project, files: ParsedFiles | None = None) -> bool:
    return "postgresql" in database_servers(project, files)
