"""assess_practices: the checklist as the project model shows it, on fixture projects."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from prodready.analysis.project.model import PracticeAssessment
from prodready.config.settings import Settings
from prodready.domain.result import PracticeStatus
from prodready.domain.taxonomy import Practice
from prodready.engine.run import run_review
from prodready.rules.registry import discover

PROJECTS = Path(__file__).resolve().parents[2] / "fixtures" / "projects" / "practices"
P, M, N = PracticeStatus.PRESENT, PracticeStatus.MISSING, PracticeStatus.NOT_NEEDED
NA = PracticeStatus.NOT_APPLICABLE


@cache
def _assessed(name: str) -> dict[Practice, PracticeAssessment]:
    settings = Settings(select=("PRAC001",), ruff=False, respect_gitignore=False)
    raw = run_review([PROJECTS / name], settings, discover())
    return {a.practice: a for a in raw.practices}


EXPECTED = {
    "library": dict.fromkeys(Practice, NA),
    "plain_bot": {**dict.fromkeys(Practice, N), Practice.GRACEFUL_SHUTDOWN: P},
    "risky_bot": {**dict.fromkeys(Practice, M), Practice.HEALTH_ENDPOINTS: N},
    "mature_service": dict.fromkeys(Practice, P),
}


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_statuses_exactly(project: str) -> None:
    found = _assessed(project)
    assert list(found) == list(Practice)
    assert {p: a.status for p, a in found.items()} == EXPECTED[project]


def test_missing_items_point_at_the_code_that_needs_them() -> None:
    risky = _assessed("risky_bot")
    assert [str(e) for e in risky[Practice.GRACEFUL_SHUTDOWN].evidence] == [
        "bot.py:36: aiogram2 polling"
    ]
    assert [str(e) for e in risky[Practice.OUTBOX].evidence] == [
        "bot.py:17: bot.paid: commit, POST (client)"
    ]
    assert [str(e) for e in risky[Practice.MIGRATIONS].evidence] == [
        "db.py:11: metadata.create_all"
    ]
    assert [str(e) for e in risky[Practice.DB_STATE_TRANSITIONS].evidence] == [
        "models.py:15: payments.status: String(16)"
    ]
    assert "create_task(bot.expire_forever())" in str(risky[Practice.TASK_SUPERVISION].evidence)


def test_present_items_carry_their_evidence() -> None:
    mature = _assessed("mature_service")
    assert str(mature[Practice.HEALTH_ENDPOINTS].evidence[0]) == "app.py:41: GET /healthz"
    assert "stamina.retry" in str(mature[Practice.RETRY_BACKOFF].evidence[0])
    assert "purgatory" in str(mature[Practice.CIRCUIT_BREAKERS].evidence[0])
    assert str(mature[Practice.IDEMPOTENCY_KEYS].evidence[0]).endswith(
        "payments.telegram_payment_charge_id is unique"
    )
    assert mature[Practice.MIGRATIONS].reason == "1 Alembic migration(s) evolve the schema"


def test_not_needed_says_why() -> None:
    plain = _assessed("plain_bot")
    assert plain[Practice.TASK_SUPERVISION].reason.startswith("no background work")
    assert plain[Practice.HEALTH_ENDPOINTS].reason.startswith("the service serves no HTTP")
    assert "library or command-line tool" in _assessed("library")[Practice.OUTBOX].reason


def test_tasks_started_by_hand_are_left_to_the_task_rules(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(
        "import asyncio\n\nfrom aiogram import Bot, Dispatcher\n\n\n"
        "async def notify() -> None:\n    await asyncio.sleep(1)\n\n\n"
        "async def main() -> None:\n    asyncio.create_task(notify())\n"
        "    await Dispatcher().start_polling(Bot('token'))\n",
        encoding="utf-8",
    )
    settings = Settings(select=("PRAC001",), ruff=False, respect_gitignore=False)
    raw = run_review([tmp_path], settings, discover())
    supervision = {a.practice: a for a in raw.practices}[Practice.TASK_SUPERVISION]
    assert supervision.status is PracticeStatus.NOT_ASSESSED
    assert [str(e) for e in supervision.evidence] == [
        "bot.py:10: bot.main uses asyncio.create_task"
    ]


_BOT = (
    "import asyncio\n\nfrom aiogram import Bot, Dispatcher\n\n\n"
    "async def main() -> None:\n    await Dispatcher().start_polling(Bot('token'))\n\n\n"
    "asyncio.run(main())\n"
)


def _write(root: Path, files: dict[str, str]) -> dict[Practice, PracticeAssessment]:
    for relative, text in {"bot.py": _BOT, **files}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    settings = Settings(select=("PRAC001",), ruff=False, respect_gitignore=False)
    raw = run_review([root], settings, discover())
    return {a.practice: a for a in raw.practices}


def test_a_runner_of_versioned_sql_files_is_a_migration_system(tmp_path: Path) -> None:
    runner = (
        "import os\n\n\nasync def migrate(conn) -> None:\n"
        "    for name in sorted(os.listdir('migrations')):\n"
        "        if name.endswith('.sql'):\n"
        "            await conn.execute(open(os.path.join('migrations', name)).read())\n"
    )
    found = _write(tmp_path, {"migrate.py": runner})[Practice.MIGRATIONS]
    assert found.status is P
    assert found.reason == "1 runner(s) of versioned `.sql` files evolve the schema"
    assert [str(e) for e in found.evidence] == ["migrate.py:5: sql-runner migrations"]


def test_django_models_and_migrations_are_assessed(tmp_path: Path) -> None:
    models = (
        "from django.db import models\n\n\nclass Order(models.Model):\n"
        "    status = models.CharField(max_length=16, choices=[('new', 'New')], default='new')\n"
    )
    migration = (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        "    operations = []\n"
    )
    found = _write(
        tmp_path,
        {"shop/orders/models.py": models, "shop/orders/migrations/0001_initial.py": migration},
    )
    assert found[Practice.MIGRATIONS].status is P
    assert found[Practice.MIGRATIONS].reason == "1 Django migration(s) evolve the schema"
    transitions = found[Practice.DB_STATE_TRANSITIONS]
    assert transitions.status is M
    assert "Django's `choices` are not checked by the database" in transitions.reason
    assert [e.what for e in transitions.evidence] == [
        "orders_order.status: CharField(max_length=16, choices=[('new', 'New')])"
    ]


def test_create_all_beside_another_migration_tool_is_missing(tmp_path: Path) -> None:
    db = (
        "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n"
        "    pass\n\n\nasync def init(engine) -> None:\n    async with engine.begin() as c:\n"
        "        await c.run_sync(Base.metadata.create_all)\n"
    )
    yoyo = "from yoyo import step\n\nsteps = [step('CREATE TABLE t (id INT)')]\n"
    found = _write(tmp_path, {"db.py": db, "migrations/0001_t.py": yoyo})[Practice.MIGRATIONS]
    assert found.status is M
    assert found.reason.startswith("1 yoyo-migrations file(s) exist, but `create_all()`")


def test_sql_migrations_run_by_dbmate_count(tmp_path: Path) -> None:
    models = (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\nclass User(Base):\n"
        "    __tablename__ = 'users'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    sql = "-- migrate:up\nCREATE TABLE users (id BIGINT PRIMARY KEY);\n-- migrate:down\n"
    found = _write(tmp_path, {"models.py": models, "db/migrations/20240101_users.sql": sql})
    migrations = found[Practice.MIGRATIONS]
    assert migrations.status is P
    assert migrations.reason == "1 dbmate migration folder(s) evolve the schema"


def test_a_library_table_mirroring_a_status_is_no_lifecycle_to_protect(tmp_path: Path) -> None:
    migration = (
        "import sqlalchemy as sa\nfrom alembic import op\n\nrevision = '0001'\n"
        "down_revision = None\n\n\ndef upgrade():\n    op.create_table(\n"
        "        'celery_taskmeta',\n        sa.Column('id', sa.Integer(), primary_key=True),\n"
        "        sa.Column('status', sa.String(length=50), nullable=True),\n    )\n"
    )
    found = _write(tmp_path, {"migrations/versions/0001_celery.py": migration})
    assert found[Practice.DB_STATE_TRANSITIONS].status is N
