"""Lints every rule's metadata: ids, names, the four texts, the Fix example, libraries, refs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.domain.rule import RuleMeta
from prodready.engine.run import run_review
from prodready.rules.registry import discover

CATALOGUE = discover()
METAS = CATALOGUE.metas

# Real PyPI distributions rules may recommend; a new one is added here after checking PyPI.
KNOWN_PYPI = frozenset(
    {
        "aiohttp",
        "asgi-correlation-id",
        "httpx",
        "requests",
        "tenacity",
        "stamina",
        "backoff",
        "purgatory",
        "aiobreaker",
        "pybreaker",
        "aiolimiter",
        "anyio",
        "structlog",
        "squawk-cli",
        "sentry-sdk",
        "opentelemetry-api",
        "opentelemetry-sdk",
        "opentelemetry-instrumentation",
        "prometheus-client",
        "pydantic",
        "pydantic-settings",
        "sqlalchemy",
        "asyncpg",
        "alembic",
        "redis",
        "aiogram",
        "python-telegram-bot",
        "fastapi",
        "starlette",
        "apscheduler",
        "arq",
        "taskiq",
        "celery",
        "loguru",
        "python-json-logger",
        "import-linter",
        "ruff",
        "mypy",
        "uvloop",
        "cachetools",
        "async-lru",
        "aiocache",
        "orjson",
        "psycopg",
        "argon2-cffi",
        "bcrypt",
        "passlib",
        "cryptography",
        "detect-secrets",
        "python-dotenv",
        "aiojobs",
        "vulture",
        "pytest",
        "pytest-asyncio",
        "tortoise-orm",
        "aiogram-broadcaster",
        "aiosmtplib",
        "aioboto3",
        "uvicorn",
        "truststore",
        "stripe",
        "yookassa",
    }
)
_FENCE = re.compile(r"```python\n(.*?)```", re.S)


def _ids(meta: RuleMeta) -> str:
    return meta.id


def test_ids_and_names_are_unique() -> None:
    assert len({m.id for m in METAS}) == len(METAS)
    assert len({m.name for m in METAS}) == len(METAS)


@pytest.mark.parametrize("meta", METAS, ids=_ids)
def test_identity(meta: RuleMeta) -> None:
    assert re.fullmatch(rf"{meta.dimension.prefix}\d{{3}}", meta.id), meta.id
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", meta.name), meta.name
    assert meta.title and not meta.title.endswith(".")


@pytest.mark.parametrize("meta", METAS, ids=_ids)
def test_four_texts(meta: RuleMeta) -> None:
    for field in ("what", "why", "fix", "migration"):
        text = getattr(meta, field).strip()
        assert len(text) >= 40, f"{meta.id}.{field} is too short to be actionable"
    assert "```python" in meta.fix, f"{meta.id}: the Fix needs a Python example"


@pytest.mark.parametrize("meta", METAS, ids=_ids)
def test_fix_example_parses_and_is_clean(meta: RuleMeta, tmp_path: Path) -> None:
    blocks = _FENCE.findall(meta.fix)
    assert blocks, f"{meta.id}: no ```python block in fix"
    for index, block in enumerate(blocks):
        ast.parse(block)
        (tmp_path / f"fix_{index}.py").write_text(block, encoding="utf-8")
    settings = Settings(select=(meta.id,), ruff=False, respect_gitignore=False)
    raw = run_review([tmp_path], settings, CATALOGUE)
    assert not raw.findings, f"{meta.id}: its own Fix example trips it: {raw.findings}"


@pytest.mark.parametrize("meta", METAS, ids=_ids)
def test_libraries_and_references(meta: RuleMeta) -> None:
    for library in meta.libraries:
        assert library in KNOWN_PYPI, f"{meta.id}: '{library}' is not a known PyPI name"
    assert meta.references, f"{meta.id}: give at least one reference"
    for reference in meta.references:
        assert reference.startswith("https://"), f"{meta.id}: {reference} is not a URL"
