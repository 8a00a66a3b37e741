"""The project's schema: tables across files, migrations folded in chain order, differences."""

from __future__ import annotations

from prodready.analysis.project import calls, schema_alembic, schema_models
from prodready.analysis.project.model import (
    Column,
    Evidence,
    FileFacts,
    Migration,
    MigrationOp,
    Relationship,
    Schema,
    SchemaDifference,
    Table,
)
from prodready.analysis.project.schema_fold import chain_order
from prodready.analysis.project.schema_merge import build_schema
from prodready.analysis.source import ParsedFile
from tests.analysis.project.schema_helpers import fixture, parsed


def _facts(file: ParsedFile) -> FileFacts:
    """What the schema extractors and the call-graph extractor (classes) find in a file."""
    models = schema_models.extract(file)
    return FileFacts(
        path=file.source.path,
        module=file.source.module,
        classes=calls.extract(file).classes,
        tables=models.tables,
        model_bases=models.model_bases,
        migrations=schema_alembic.extract(file).migrations,
    )


def _project(project: str, *files: str) -> Schema:
    return build_schema([_facts(fixture(project, f)) for f in files])


def test_sa2_project_bases_mixins_type_map_enums_and_foreign_keys_across_files() -> None:
    schema = _project(
        "schema_sa2",
        "shop/db/models/user.py",
        "shop/db/models/order.py",
        "shop/db/base.py",
        "shop/db/enums.py",
    )
    base = "shop/db/base.py"
    user, order = "shop/db/models/user.py", "shop/db/models/order.py"
    stamps = (
        Column(
            "created_at",
            "DateTime(timezone=True)",
            Evidence(base, 22),
            False,
            server_default="func.now()",
            python_type="datetime.datetime",
        ),
        Column(
            "updated_at",
            "DateTime(timezone=True)",
            Evidence(base, 23),
            python_type="datetime.datetime",
        ),
        Column("id", "BigInteger", Evidence(base, 18), False, primary_key=True),
    )
    mixed = ("shop.db.base.TimestampMixin", "shop.db.base.Base")
    assert schema == Schema(
        tables=(
            Table(
                name="order_items",
                source="model",
                evidence=Evidence(order, 11),
                columns=(
                    Column(
                        "order_id",
                        "BigInteger",
                        Evidence(order, 12),
                        False,
                        foreign_keys=("orders.id",),
                    ),
                    Column("price", "Float", Evidence(order, 13), False),
                    *stamps,
                ),
                model="shop.db.models.order.OrderItem",
                bases=mixed,
            ),
            Table(
                name="orders",
                source="model",
                evidence=Evidence(order, 16),
                columns=(
                    Column(
                        "user_id",
                        "BigInteger",
                        Evidence(order, 24),
                        False,
                        foreign_keys=("users.id",),
                    ),
                    Column(
                        "provider_charge_id",
                        "String",
                        Evidence(order, 25),
                        False,
                        python_type="str",
                    ),
                    Column("total", "Numeric(12, 2)", Evidence(order, 26), False),
                    Column(
                        "status",
                        "Enum(OrderStatus)",
                        Evidence(order, 27),
                        False,
                        index=True,
                        default="OrderStatus.NEW",
                        enum=True,
                        python_type="shop.db.enums.OrderStatus",
                    ),
                    *stamps,
                ),
                model="shop.db.models.order.Order",
                unique_constraints=(("user_id", "provider_charge_id"),),
                indexes=(("status", "created_at"),),
                check_constraints=("total >= 0",),
                relationships=(
                    Relationship("user", "User", "select", Evidence(order, 28), many=False),
                    Relationship("items", "OrderItem", "select", Evidence(order, 29), many=True),
                ),
                bases=mixed,
            ),
            Table(
                name="users",
                source="model",
                evidence=Evidence(user, 11),
                columns=(
                    Column(
                        "telegram_id",
                        "Integer",
                        Evidence(user, 12),
                        False,
                        unique=True,
                        python_type="int",
                    ),
                    Column("username", "String(64)", Evidence(user, 13)),
                    Column(
                        "language",
                        "String",
                        Evidence(user, 14),
                        False,
                        default="en",
                        python_type="str",
                    ),
                    *stamps,
                    Column("permissions", "String", Evidence(user, 23), python_type="str"),
                ),
                model="shop.db.models.user.User",
                relationships=(
                    Relationship("orders", "Order", "raise", Evidence(user, 15), many=True),
                ),
                bases=mixed,
            ),
        ),
    )


def test_alembic_only_project_folds_the_chain_in_revision_order() -> None:
    versions = "migrations/versions"
    files = ("a1_add_payments.py", "c3_indexes.py", "f1_create_users.py")
    schema = _project("schema_alembic", "migrations/env.py", *(f"{versions}/{f}" for f in files))
    users, payments = f"{versions}/f1_create_users.py", f"{versions}/a1_add_payments.py"
    assert schema.tables == (
        Table(
            name="users",
            source="migration",
            evidence=Evidence(users, 15),
            columns=(
                Column("id", "BigInteger", Evidence(users, 17), False, primary_key=True),
                Column("telegram_id", "BigInteger", Evidence(users, 18), False),
                Column("username", "String(length=64)", Evidence(users, 19), False),
                Column(
                    "created_at", "DateTime", Evidence(users, 20), False, server_default="now()"
                ),
                Column("balance", "Numeric(12, 2)", Evidence(payments, 28), False),
            ),
            unique_constraints=(("telegram_id",), ("username",)),
            indexes=(("created_at",),),
        ),
        Table(
            name="charges",
            source="migration",
            evidence=Evidence(payments, 20),
            columns=(
                Column("id", "Integer", Evidence(payments, 22), False, primary_key=True),
                Column(
                    "user_id",
                    "BigInteger",
                    Evidence(payments, 23),
                    False,
                    foreign_keys=("users.id",),
                ),
                Column("amount", "Float", Evidence(payments, 24), False),
                Column("state", "String(20)", Evidence(payments, 25), False, server_default="new"),
                Column("charge_id", "String(64)", Evidence(payments, 26)),
            ),
            indexes=(("user_id",), ("charge_id",)),
            check_constraints=("amount > 0",),
        ),
    )
    assert schema.differences == ()
    assert [m.revision for m in schema.migrations] == ["f1", "b2", "c3"]
    assert (schema.created_in("users"), schema.created_in("payments")) == (0, 1)
    assert schema.created_in("charges") is None


MODELS = """
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    nickname: Mapped[str | None]

class Wallet(Base):
    __tablename__ = "wallets"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
"""

FIRST = """
import sqlalchemy as sa
from alembic import op

revision = "r1"
down_revision = None

def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("legacy", sa.Text()),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.create_table("audit", sa.Column("id", sa.Integer(), primary_key=True))
"""


def test_models_win_and_differences_with_the_migrations_are_recorded() -> None:
    model_file = parsed(MODELS, "app/models.py")
    migration_file = parsed(FIRST, "alembic/versions/r1.py")
    schema = build_schema([_facts(model_file), _facts(migration_file)])
    users, wallets, audit = schema.tables
    assert (users.name, users.source, wallets.name, audit.name) == (
        "users",
        "model",
        "wallets",
        "audit",
    )
    assert users.columns == schema_models.extract(model_file).tables[0].columns
    assert (users.indexes, users.unique_constraints) == ((("email",),), (("email",),))
    assert wallets.column("user_id") == Column(
        "user_id", "Integer", Evidence("app/models.py", 17), False, foreign_keys=("users.id",)
    )
    assert audit.source == "migration"

    def model_at(line: int) -> Evidence:
        return Evidence("app/models.py", line)

    def migration_at(line: int) -> Evidence:
        return Evidence("alembic/versions/r1.py", line)

    assert schema.differences == (
        SchemaDifference(
            "users",
            "column `users.email` is NOT NULL in the model but nullable after the migrations "
            "(alembic/versions/r1.py:12)",
            model_at(11),
        ),
        SchemaDifference(
            "users",
            "column `users.nickname` is in the model but no migration adds it",
            model_at(12),
        ),
        SchemaDifference(
            "users",
            "column `users.legacy` is added by migrations but not in the model",
            migration_at(13),
        ),
        SchemaDifference(
            "wallets",
            "table `wallets` is declared by a model but no migration creates it",
            model_at(14),
        ),
        SchemaDifference(
            "audit",
            "table `audit` is created by migrations but no model declares it",
            migration_at(17),
        ),
    )


CREATE_ALL = """
from alembic import op
from app.models import Base

revision = "r0"
down_revision = None

def upgrade():
    Base.metadata.create_all(op.get_bind())
"""

LATER = """
import sqlalchemy as sa
from alembic import op

revision = "r2"
down_revision = "r0"

def upgrade():
    op.add_column("wallets", sa.Column("limit", sa.Integer(), nullable=True))
"""


def test_create_all_in_a_migration_creates_the_model_tables_of_that_time() -> None:
    schema = build_schema(
        [
            _facts(parsed(MODELS, "app/models.py")),
            _facts(parsed(CREATE_ALL, "alembic/versions/r0.py")),
            _facts(parsed(LATER, "alembic/versions/r2.py")),
        ]
    )
    assert schema.differences == (
        SchemaDifference(
            "wallets",
            "column `wallets.limit` is added by migrations but not in the model",
            Evidence("alembic/versions/r2.py", 9),
        ),
    )
    assert schema.created_in("wallets") is None


def test_migrations_that_start_from_a_schema_made_elsewhere_say_so_once_per_table() -> None:
    schema = build_schema(
        [
            _facts(parsed(MODELS, "app/models.py")),
            _facts(parsed(LATER.replace('"r0"', "None"), "alembic/versions/r2.py")),
        ]
    )
    assert schema.differences == (
        SchemaDifference(
            "wallets",
            "table `wallets` is changed by migrations but no migration creates it: they start "
            "from a schema made elsewhere (e.g. `metadata.create_all()`)",
            Evidence("alembic/versions/r2.py", 9),
        ),
    )
    assert [t.name for t in schema.tables] == ["users", "wallets"]


def _migration(revision: str, *down: str, path: str = "") -> Migration:
    return Migration(revision, down, path or f"versions/{revision}.py")


def test_chain_order_survives_branches_broken_chains_duplicates_and_cycles() -> None:
    migrations = [
        _migration("d", "b", "c"),
        _migration("c", "a"),
        _migration("b", "a"),
        _migration("a"),
        _migration("orphan", "missing"),
        _migration("x", "y"),
        _migration("y", "x"),
        _migration("a", path="versions/zz_duplicate.py"),
    ]
    ordered = [(m.revision, m.path.rsplit("/", 1)[-1]) for m in chain_order(migrations)]
    assert ordered == [
        ("a", "a.py"),
        ("b", "b.py"),
        ("c", "c.py"),
        ("d", "d.py"),
        ("orphan", "orphan.py"),
        ("a", "zz_duplicate.py"),
        ("x", "x.py"),
        ("y", "y.py"),
    ]


def test_schema_queries_rules_use() -> None:
    schema = build_schema([_facts(parsed(MODELS, "app/models.py"))])
    users, wallets = schema.tables
    user_id = wallets.column("user_id")
    assert user_id is not None
    assert schema.foreign_key_columns() == ((wallets, user_id),)
    assert schema.columns_named("id") == (
        (users, users.columns[0]),
        (wallets, wallets.columns[0]),
    )
    assert (wallets.is_indexed("user_id"), users.is_indexed("id")) == (False, True)
    assert wallets.foreign_key_columns() == (user_id,)
    assert schema.table_of_model("Wallet") is wallets
    assert schema.migrations == () and schema.created_in("users") is None


def test_migration_ops_keep_what_rules_read() -> None:
    schema = build_schema([_facts(parsed(LATER, "alembic/versions/r2.py"))])
    op = schema.migrations[0].ops[0]
    assert op == MigrationOp(
        kind="add_column",
        table="wallets",
        evidence=Evidence("alembic/versions/r2.py", 9),
        name="limit",
        column=Column("limit", "Integer", Evidence("alembic/versions/r2.py", 9)),
    )
    assert op.option("nullable") is None


def test_sa1_project_foreign_key_columns_take_the_referenced_type() -> None:
    schema = _project("schema_sa1", "bot/models.py")
    typed = {(t.name, c.name): c.type for t, c in schema.foreign_key_columns()}
    assert typed == {
        ("user_groups", "user_id"): "Integer",
        ("user_groups", "group_id"): "Integer",
        ("payments", "group_id"): "Integer",
        ("payments", "user_id"): "Integer",
    }


SECOND_LOCATION = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = {down}

def upgrade():
    {body}
"""


def test_independent_migration_chains_are_folded_apart() -> None:
    def migration(path: str, revision: str, down: str, body: str) -> FileFacts:
        text = SECOND_LOCATION.format(revision=revision, down=down, body=body)
        return _facts(parsed(text, path))

    create = 'op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))'
    schema = build_schema(
        [
            migration("old/migrations/001.py", "001", "None", create),
            migration("old/migrations/002.py", "002", '"001"', 'op.drop_table("users")'),
            migration("alembic/versions/0001.py", "0001", "None", create),
            migration(
                "alembic/versions/0002.py",
                "0002",
                '"0001"',
                'op.add_column("users", sa.Column("email", sa.Text(), nullable=False))',
            ),
        ]
    )
    assert [m.revision for m in schema.migrations] == ["0001", "0002", "001", "002"]
    (users,) = schema.tables
    assert [c.name for c in users.columns] == ["id", "email"]
    assert users.evidence == Evidence("alembic/versions/0001.py", 9)
    assert schema.differences == ()


def test_a_base_imported_from_the_package_that_re_exports_it_gives_its_columns() -> None:
    base = """
    from datetime import datetime
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    class Base(DeclarativeBase):
        id: Mapped[int] = mapped_column(primary_key=True)
        created_at: Mapped[datetime]
    """
    model = """
    from sqlalchemy.orm import Mapped
    from shop.models import Base

    class Item(Base):
        __tablename__ = "items"
        title: Mapped[str]
    """
    other = """
    class Base:
        pass
    """
    schema = build_schema(
        [
            _facts(parsed(base, "shop/models/base.py")),
            _facts(parsed(model, "shop/models/item.py")),
            _facts(parsed(other, "elsewhere/base.py")),
        ]
    )
    (items,) = schema.tables
    assert [c.name for c in items.columns] == ["title", "id", "created_at"]
