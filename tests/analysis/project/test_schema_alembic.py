"""Alembic migrations: revision, parents and the operations of upgrade() in order."""

from __future__ import annotations

from prodready.analysis.project import schema_alembic
from prodready.analysis.project.model import (
    Column,
    Evidence,
    FileFacts,
    Migration,
    MigrationOp,
    Table,
)
from tests.analysis.project.schema_helpers import fixture, parsed

PROJECT = "schema_alembic"
VERSIONS = "migrations/versions"


def _migration(relative: str) -> Migration:
    facts = schema_alembic.extract(fixture(PROJECT, f"{VERSIONS}/{relative}"))
    assert len(facts.migrations) == 1
    return facts.migrations[0]


def test_create_table_with_constraints_and_index_named_by_op_f() -> None:
    path = f"{VERSIONS}/f1_create_users.py"

    def ev(line: int) -> Evidence:
        return Evidence(path, line)

    assert _migration("f1_create_users.py") == Migration(
        revision="f1",
        down_revisions=(),
        path=path,
        ops=(
            MigrationOp(
                kind="create_table",
                table="users",
                evidence=ev(15),
                created=Table(
                    name="users",
                    source="migration",
                    evidence=ev(15),
                    columns=(
                        Column("id", "BigInteger", ev(17), False, primary_key=True),
                        Column("telegram_id", "BigInteger", ev(18), False),
                        Column("username", "String(length=64)", ev(19)),
                        Column("created_at", "DateTime", ev(20), False, server_default="now()"),
                    ),
                    unique_constraints=(("telegram_id",),),
                ),
            ),
            MigrationOp(
                kind="create_index",
                table="users",
                evidence=ev(24),
                name="ix_users_username",
                columns=("username",),
                options=(("unique", "False"),),
            ),
        ),
    )


def test_module_constant_table_batch_operations_and_raw_sql() -> None:
    path = f"{VERSIONS}/a1_add_payments.py"

    def ev(line: int) -> Evidence:
        return Evidence(path, line)

    migration = _migration("a1_add_payments.py")
    assert (migration.revision, migration.down_revisions) == ("b2", ("f1",))
    assert migration.ops == (
        MigrationOp(
            kind="create_table",
            table="payments",
            evidence=ev(20),
            created=Table(
                name="payments",
                source="migration",
                evidence=ev(20),
                columns=(
                    Column("id", "Integer", ev(22), False, primary_key=True),
                    Column("user_id", "BigInteger", ev(23), False, foreign_keys=("users.id",)),
                    Column("amount", "Float", ev(24), False),
                    Column("status", "String(20)", ev(25), False),
                    Column("charge_id", "String(64)", ev(26)),
                ),
            ),
        ),
        MigrationOp(
            kind="add_column",
            table="users",
            evidence=ev(28),
            name="balance",
            column=Column("balance", "Numeric(12, 2)", ev(28), False),
        ),
        MigrationOp(
            kind="add_column",
            table="users",
            evidence=ev(30),
            name="language",
            column=Column("language", "String(5)", ev(30), False, server_default="en"),
            context=("batch",),
        ),
        MigrationOp(
            kind="alter_column",
            table="users",
            evidence=ev(31),
            name="username",
            options=(("existing_type", "String(length=64)"), ("nullable", "False")),
            context=("batch",),
        ),
        MigrationOp(
            kind="create_unique_constraint",
            table="users",
            evidence=ev(32),
            name="uq_users_username",
            columns=("username",),
            context=("batch",),
        ),
        MigrationOp(
            kind="execute",
            table="",
            evidence=ev(33),
            options=(("sqltext", "UPDATE users SET language = 'ru'"),),
        ),
    )


def test_loops_over_literals_autocommit_blocks_conditions_renames_and_drops() -> None:
    path = f"{VERSIONS}/c3_indexes.py"

    def ev(line: int) -> Evidence:
        return Evidence(path, line)

    migration = _migration("c3_indexes.py")
    assert (migration.revision, migration.down_revisions) == ("c3", ("b2",))
    assert migration.ops == (
        MigrationOp("create_index", "payments", ev(18), "ix_payments_user_id", ("user_id",)),
        MigrationOp("create_index", "payments", ev(18), "ix_payments_charge_id", ("charge_id",)),
        MigrationOp(
            kind="create_index",
            table="users",
            evidence=ev(20),
            name="ix_users_created_at",
            columns=("created_at",),
            options=(("postgresql_concurrently", "True"),),
            context=("autocommit_block",),
        ),
        MigrationOp(
            kind="create_check_constraint",
            table="payments",
            evidence=ev(24),
            name="ck_payments_amount",
            options=(("condition", "amount > 0"),),
            context=("conditional",),
        ),
        MigrationOp("drop_index", "users", ev(25), "ix_users_username"),
        MigrationOp(
            kind="alter_column",
            table="payments",
            evidence=ev(26),
            name="status",
            options=(("new_column_name", "state"), ("server_default", "new")),
        ),
        MigrationOp("rename_table", "payments", ev(27), "charges"),
        MigrationOp("drop_column", "users", ev(28), "language"),
    )


def test_a_file_that_is_not_a_migration_gives_nothing() -> None:
    facts = schema_alembic.extract(fixture(PROJECT, "migrations/env.py"))
    assert facts == FileFacts(path="migrations/env.py", module="migrations.env")
    no_revision = parsed("from alembic import op\n\ndef upgrade():\n    op.drop_table('t')\n")
    assert schema_alembic.extract(no_revision).migrations == ()


MERGE_POINT = """
import sqlalchemy as sa
from alembic import op
from app.db import Base

revision = "m1"
down_revision = ("a1", "b1")

def upgrade():
    bind = op.get_bind()
    status = sa.Enum("new", "paid", name="status")
    Base.metadata.create_all(bind)
    try:
        op.add_column("orders", sa.Column("status", status, nullable=False))
    except Exception:
        pass
    with op.batch_alter_table(table_name="orders", recreate="always") as batch:
        batch.create_index("ix_orders_status", ["status"], unique=True)
        batch.create_foreign_key("fk_orders_user", "users", ["user_id"], ["id"])
        batch.drop_constraint("uq_old", type_="unique")
    op.create_foreign_key(None, "orders", "users", ["buyer_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_lower_email", "users", [sa.text("lower(email)")])
    op.execute(sa.text("UPDATE orders SET status = 'new'"))
    op.drop_table(table_name)
    op.alter_column("orders", "total", type_=sa.Numeric(12, 2), server_default=None)

    def helper():
        op.drop_table("ignored")

    other.add_column("orders", sa.Column("x", sa.Integer))
"""


def test_merge_point_locals_try_blocks_batch_keywords_and_unknown_names() -> None:
    ops = schema_alembic.extract(parsed(MERGE_POINT, "alembic/versions/m1.py")).migrations[0]

    def ev(line: int) -> Evidence:
        return Evidence("alembic/versions/m1.py", line)

    assert ops == Migration(
        revision="m1",
        down_revisions=("a1", "b1"),
        path="alembic/versions/m1.py",
        ops=(
            MigrationOp("create_all", "", ev(12)),
            MigrationOp(
                kind="add_column",
                table="orders",
                evidence=ev(14),
                name="status",
                column=Column(
                    "status", "Enum('new', 'paid', name='status')", ev(14), False, enum=True
                ),
                context=("conditional",),
            ),
            MigrationOp(
                kind="create_index",
                table="orders",
                evidence=ev(18),
                name="ix_orders_status",
                columns=("status",),
                options=(("unique", "True"),),
                context=("batch",),
            ),
            MigrationOp(
                kind="create_foreign_key",
                table="orders",
                evidence=ev(19),
                name="fk_orders_user",
                columns=("user_id",),
                options=(("referent_table", "users"), ("remote_cols", "id")),
                context=("batch",),
            ),
            MigrationOp(
                kind="drop_constraint",
                table="orders",
                evidence=ev(20),
                name="uq_old",
                options=(("type_", "unique"),),
                context=("batch",),
            ),
            MigrationOp(
                kind="create_foreign_key",
                table="orders",
                evidence=ev(21),
                columns=("buyer_id",),
                options=(
                    ("referent_table", "users"),
                    ("remote_cols", "id"),
                    ("ondelete", "CASCADE"),
                ),
            ),
            MigrationOp(
                kind="create_index",
                table="users",
                evidence=ev(22),
                name="ix_lower_email",
                columns=("lower(email)",),
            ),
            MigrationOp(
                kind="execute",
                table="",
                evidence=ev(23),
                options=(("sqltext", "UPDATE orders SET status = 'new'"),),
            ),
            MigrationOp("drop_table", "", ev(24)),
            MigrationOp(
                kind="alter_column",
                table="orders",
                evidence=ev(25),
                name="total",
                options=(("type_", "Numeric(12, 2)"), ("server_default", "None")),
            ),
        ),
    )


GUARDED_COLUMNS = """
import sqlalchemy as sa
from alembic import op

revision = "0062"
down_revision = "0061"

_TABLE = "landing_pages"
_COLUMN = "goal"
NEW_COLUMNS = (
    ("sticky", sa.Column("sticky", sa.Boolean(), nullable=False, server_default=sa.false())),
    ("views", sa.Column("views", sa.Integer(), nullable=True)),
)

def upgrade() -> None:
    conn = op.get_bind()
    for name, definition in NEW_COLUMNS:
        exists = conn.execute(sa.text("SELECT 1"), {"col": name}).scalar()
        if not exists:
            op.add_column(_TABLE, definition)
    op.add_column(_TABLE, sa.Column(_COLUMN, sa.String(length=64), nullable=True))
"""


def test_columns_defined_at_module_level_and_added_in_a_guarded_loop() -> None:
    path = "alembic/versions/0062.py"
    migration = schema_alembic.extract(parsed(GUARDED_COLUMNS, path)).migrations[0]

    def ev(line: int) -> Evidence:
        return Evidence(path, line)

    assert migration.ops == (
        MigrationOp(
            kind="add_column",
            table="landing_pages",
            evidence=ev(20),
            name="sticky",
            column=Column("sticky", "Boolean", ev(11), False, server_default="false()"),
            context=("conditional",),
        ),
        MigrationOp(
            kind="add_column",
            table="landing_pages",
            evidence=ev(20),
            name="views",
            column=Column("views", "Integer", ev(12)),
            context=("conditional",),
        ),
        MigrationOp(
            kind="add_column",
            table="landing_pages",
            evidence=ev(21),
            name="goal",
            column=Column("goal", "String(length=64)", ev(21)),
        ),
    )
