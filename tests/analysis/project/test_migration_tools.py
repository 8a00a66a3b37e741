"""Migration systems other than Alembic: Django, yoyo, aerich, piccolo, a project's own
runner of versioned `.sql` files; and what is not one (tables created at startup)."""

from __future__ import annotations

import pytest

from prodready.analysis.project import migration_tools
from tests.analysis.project.schema_helpers import parsed

DJANGO = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [migrations.CreateModel(name="Order", fields=[])]
"""
YOYO = """
from yoyo import step

steps = [step("CREATE TABLE users (id INT)", "DROP TABLE users")]
"""
AERICH = """
from tortoise import BaseDBAsyncClient


async def upgrade(db: BaseDBAsyncClient) -> str:
    return "ALTER TABLE users ADD balance INT"
"""
PICCOLO = """
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
"""
RUNNER = """
import os

import asyncpg


async def run_migration(pool, filename):
    with open(filename) as f:
        await pool.execute(f.read())


async def apply_migrations(pool):
    folder = os.path.join("app", "migrations")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".sql"):
            await run_migration(pool, os.path.join(folder, name))
"""
PATHLIB_RUNNER = """
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"


async def migrate(conn):
    for path in sorted(MIGRATIONS.glob("*.sql")):
        await conn.execute(path.read_text())
        await conn.execute("INSERT INTO schema_version VALUES ($1)", path.name)
"""
STARTUP_DDL = """
async def init_db(conn):
    await conn.execute("CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY)")
"""
SCHEMA_FILE = """
from pathlib import Path


async def init_db(conn):
    await conn.execute(Path("schema.sql").read_text())
"""


@pytest.mark.parametrize(
    ("text", "path", "tool", "line"),
    [
        (DJANGO, "shop/orders/migrations/0001_initial.py", "django", 0),
        (YOYO, "migrations/0001_users.py", "yoyo", 0),
        (AERICH, "migrations/models/0_20240101_init.py", "aerich", 0),
        (PICCOLO, "app/piccolo_migrations/2024_01_01.py", "piccolo", 0),
        (RUNNER, "migrate.py", "sql-runner", 14),
        (PATHLIB_RUNNER, "db/migrate.py", "sql-runner", 8),
    ],
)
def test_migration_systems_are_recognised(text: str, path: str, tool: str, line: int) -> None:
    found = migration_tools.extract(parsed(text, path)).migration_runners
    assert [(r.tool, r.evidence.path, r.evidence.line) for r in found] == [(tool, path, line)]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (STARTUP_DDL, "app/db.py"),
        (SCHEMA_FILE, "app/db.py"),
        (DJANGO, "shop/orders/models.py"),  # not a numbered file in a migrations folder
    ],
)
def test_startup_ddl_is_not_a_migration_system(text: str, path: str) -> None:
    assert migration_tools.extract(parsed(text, path)).migration_runners == ()
