"""Which libraries the project uses, with versions where declared and evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from prodready.analysis.project.model import Dependency, Evidence, StackComponent


@dataclass(frozen=True, slots=True)
class Known:
    key: str
    label: str
    distributions: tuple[str, ...]
    imports: tuple[str, ...]


KNOWN: tuple[Known, ...] = (
    Known("aiogram", "aiogram", ("aiogram",), ("aiogram",)),
    Known("python-telegram-bot", "python-telegram-bot", ("python-telegram-bot",), ("telegram",)),
    Known("fastapi", "FastAPI", ("fastapi",), ("fastapi",)),
    Known("starlette", "Starlette", ("starlette",), ("starlette",)),
    Known("aiohttp", "aiohttp", ("aiohttp",), ("aiohttp",)),
    Known("sqlalchemy", "SQLAlchemy", ("sqlalchemy",), ("sqlalchemy",)),
    Known("asyncpg", "asyncpg", ("asyncpg",), ("asyncpg",)),
    Known("psycopg", "psycopg 3", ("psycopg", "psycopg-binary"), ("psycopg",)),
    Known("psycopg2", "psycopg2", ("psycopg2", "psycopg2-binary"), ("psycopg2",)),
    Known("aiosqlite", "aiosqlite", ("aiosqlite",), ("aiosqlite",)),
    Known("tortoise-orm", "Tortoise ORM", ("tortoise-orm",), ("tortoise",)),
    Known("redis", "redis", ("redis",), ("redis",)),
    Known("httpx", "httpx", ("httpx",), ("httpx",)),
    Known("requests", "requests", ("requests",), ("requests",)),
    Known("apscheduler", "APScheduler", ("apscheduler",), ("apscheduler",)),
    Known("arq", "arq", ("arq",), ("arq",)),
    Known("taskiq", "taskiq", ("taskiq",), ("taskiq",)),
    Known("celery", "Celery", ("celery",), ("celery",)),
    Known("alembic", "Alembic", ("alembic",), ("alembic",)),
    Known("pydantic", "pydantic", ("pydantic",), ("pydantic",)),
    Known("pydantic-settings", "pydantic-settings", ("pydantic-settings",), ("pydantic_settings",)),
    Known("structlog", "structlog", ("structlog",), ("structlog",)),
    Known("loguru", "loguru", ("loguru",), ("loguru",)),
    Known("sentry-sdk", "sentry-sdk", ("sentry-sdk",), ("sentry_sdk",)),
    Known(
        "opentelemetry",
        "OpenTelemetry",
        ("opentelemetry-api", "opentelemetry-sdk", "opentelemetry-distro"),
        ("opentelemetry",),
    ),
    Known("prometheus-client", "prometheus-client", ("prometheus-client",), ("prometheus_client",)),
    Known("tenacity", "tenacity", ("tenacity",), ("tenacity",)),
    Known("stamina", "stamina", ("stamina",), ("stamina",)),
    Known("backoff", "backoff", ("backoff",), ("backoff",)),
    Known("purgatory", "purgatory", ("purgatory",), ("purgatory",)),
    Known("aiobreaker", "aiobreaker", ("aiobreaker",), ("aiobreaker",)),
    Known("pybreaker", "pybreaker", ("pybreaker",), ("pybreaker",)),
    Known("aiolimiter", "aiolimiter", ("aiolimiter",), ("aiolimiter",)),
    Known("uvicorn", "uvicorn", ("uvicorn",), ("uvicorn",)),
)

# Imports that only exist in one major line of a library: (key, import prefix, major).
_MAJOR_BY_IMPORT: tuple[tuple[str, str, int], ...] = (
    ("aiogram", "aiogram.Router", 3),
    ("aiogram", "aiogram.F", 3),
    ("aiogram", "aiogram.filters", 3),
    ("aiogram", "aiogram.fsm", 3),
    ("aiogram", "aiogram.client", 3),
    ("aiogram", "aiogram.webhook", 3),
    ("aiogram", "aiogram.utils.executor", 2),
    ("aiogram", "aiogram.dispatcher", 2),
    ("aiogram", "aiogram.contrib", 2),
    ("aiogram", "aiogram.types.ContentTypes", 2),
    ("python-telegram-bot", "telegram.ext.Application", 20),
    ("python-telegram-bot", "telegram.ext.ApplicationBuilder", 20),
    ("python-telegram-bot", "telegram.ext.ContextTypes", 20),
    ("python-telegram-bot", "telegram.ext.filters", 20),
    ("python-telegram-bot", "telegram.ext.Updater", 13),
    ("python-telegram-bot", "telegram.ext.Filters", 13),
    ("sqlalchemy", "sqlalchemy.orm.Mapped", 2),
    ("sqlalchemy", "sqlalchemy.orm.mapped_column", 2),
    ("sqlalchemy", "sqlalchemy.orm.DeclarativeBase", 2),
)
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def _version(text: str) -> tuple[str, int | None]:
    """The first version number of a specifier or locked version, and its major."""
    match = _VERSION.search(text)
    if match is None:
        return "", None
    return match.group(0), int(match[1])


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _import_evidence(imports: Mapping[str, Evidence], prefixes: tuple[str, ...]) -> list[Evidence]:
    return sorted({e for name, e in imports.items() if any(_matches(name, p) for p in prefixes)})


def _major_from_imports(key: str, imports: Iterable[str]) -> int | None:
    majors = {
        m
        for k, prefix, m in _MAJOR_BY_IMPORT
        if k == key
        for name in imports
        if _matches(name, prefix)
    }
    if not majors or (key == "aiogram" and len(majors) > 1):
        return None
    return max(majors)


# Libraries whose major version changes the API enough to name it.
_MAJOR_MATTERS = frozenset({"aiogram", "python-telegram-bot", "sqlalchemy", "pydantic", "redis"})


def _label(known: Known, major: int | None, imports: Iterable[str]) -> str:
    names = set(imports)
    if known.key not in _MAJOR_MATTERS:
        return known.label
    if known.key == "python-telegram-bot" and major is not None:
        return f"{known.label} v{'20+' if major >= 20 else major}"
    if known.key == "sqlalchemy":
        style = (
            "2.0 style"
            if major == 2
            and any(
                _matches(n, p) for n in names for k, p, _ in _MAJOR_BY_IMPORT if k == "sqlalchemy"
            )
            else ""
        )
        mode = "async" if any(_matches(n, "sqlalchemy.ext.asyncio") for n in names) else "sync"
        details = ", ".join(part for part in (mode, style) if part)
        base = f"{known.label} {major}" if major is not None else known.label
        return f"{base} ({details})"
    return f"{known.label} {major}" if major is not None else known.label


def detect_stack(
    dependencies: Iterable[Dependency],
    locked: Mapping[str, str],
    imports: Mapping[str, Evidence],
) -> tuple[StackComponent, ...]:
    """Known libraries that are declared or imported.

    `imports` maps every imported qualified name to its first evidence. A declared version
    (lock first, then specifier) gives the major version; when none is declared, imports
    that only exist in one major line decide it.
    """
    declared = {d.name: d for d in dependencies}
    found: list[StackComponent] = []
    for known in KNOWN:
        dependency = next((declared[n] for n in known.distributions if n in declared), None)
        import_evidence = _import_evidence(imports, known.imports)
        if dependency is None and not import_evidence:
            continue
        version, major = "", None
        if dependency is not None:
            version, major = _version(locked.get(dependency.name, "") or dependency.specifier)
        relevant = [n for n in imports if any(_matches(n, p) for p in known.imports)]
        if major is None:
            major = _major_from_imports(known.key, relevant)
        evidence = ([dependency.evidence] if dependency else []) + import_evidence[:3]
        found.append(
            StackComponent(
                key=known.key,
                label=_label(known, major, relevant),
                version=version,
                major=major,
                evidence=tuple(evidence),
                declared=dependency is not None,
            )
        )
    return tuple(found)
