"""Naming tables of the schema rules, the servers a project uses, indexes migrations create."""

from __future__ import annotations

import pytest

from prodready.analysis.project.build import build_project
from prodready.analysis.project.model import (
    Column,
    Dependency,
    Evidence,
    FileFacts,
    Migration,
    MigrationOp,
    Schema,
    Table,
)
from prodready.analysis.project.schema_names import (
    business_key,
    is_free_string,
    is_money,
    is_naive_datetime,
    is_reference_table,
    is_status,
    words,
)
from prodready.analysis.project.schema_sql import leads_index, migration_indexes, unique_with
from prodready.analysis.project.servers import database_servers

HERE = Evidence("app/models.py", 1)


def _column(name: str, type_: str = "String(64)", **extra: object) -> Column:
    return Column(name, type_, HERE, **extra)  # type: ignore[arg-type]


def _table(name: str, *columns: Column) -> Table:
    return Table(name, "model", HERE, columns=columns)


def test_words_split_snake_and_camel_case() -> None:
    assert words("paidAt") == ("paid", "at")
    assert words("yookassa_payment_id") == ("yookassa", "payment", "id")


@pytest.mark.parametrize(
    ("table", "column", "kind"),
    [
        ("payments", "telegram_payment_charge_id", "payment"),
        ("wheel_spins", "telegram_charge_id", "payment"),
        ("anything", "idempotency_key", "payment"),
        ("yookassa_payments", "yookassa_payment_id", "payment"),
        ("balance_transactions", "external_payment_id", "payment"),
        ("payments", "external_id", "payment"),
        ("crypto_invoices", "invoice_id", "payment"),
        ("webhook_events", "event_id", "payment"),
        ("users", "telegram_id", "user"),
        ("tg_users", "tg_id", "user"),
        ("users", "user_id", "user"),
        # not identifiers of one payment: shared by several rows, or not a payment table
        ("apple_transactions", "original_transaction_id", ""),
        ("lava_subscriptions", "last_charge_external_id", ""),
        ("orders", "external_id", ""),
        ("outbox_events", "event_id", ""),
        ("analytics_events", "client_event_id", ""),
        ("user_channels", "telegram_id", ""),
    ],
)
def test_business_keys(table: str, column: str, kind: str) -> None:
    assert business_key(_table(table, _column(column)), _column(column)) == kind


def test_business_key_skips_keys_and_references_and_stars_provider_ids() -> None:
    fk = _column("transaction_id", "Integer", foreign_keys=("transactions.id",))
    assert business_key(_table("payments", fk), fk) == ""
    pk = _column("telegram_id", "BigInteger", primary_key=True)
    assert business_key(_table("users", pk), pk) == ""
    provider = _column("provider_payment_charge_id")
    both = _table("payments", _column("telegram_payment_charge_id"), provider)
    assert business_key(both, provider) == ""
    assert business_key(_table("payments", provider), provider) == "payment"


@pytest.mark.parametrize(
    ("name", "money"),
    [
        ("amount", True),
        ("total_price", True),
        ("balance", True),
        ("amount_usd", True),
        ("price_kopeks", True),
        ("payment_amount_crypto", True),
        ("discount_percent", False),
        ("exchange_rate", False),
        ("traffic_used_gb", False),
        ("total_count", False),
        ("commission", False),
        ("rating", False),
    ],
)
def test_money_names(name: str, money: bool) -> None:
    assert is_money(name) is money


@pytest.mark.parametrize(
    ("type_", "naive"),
    [
        ("DateTime", True),
        ("DateTime(timezone=False)", True),
        ("TIMESTAMP", True),
        ("postgresql.TIMESTAMP(precision=6)", True),
        ("DateTime(timezone=True)", False),
        ("DateTime(True)", False),
        ("TIMESTAMP(timezone=True)", False),
        ("AwareDateTime()", False),
        ("Date", False),
        ("", False),
    ],
)
def test_naive_datetime_types(type_: str, naive: bool) -> None:
    assert is_naive_datetime(_column("at", type_)) is naive


def test_free_strings_and_statuses() -> None:
    orders = _table("orders")
    assert is_free_string(_column("status", "String(16)"))
    assert not is_free_string(_column("status", "Enum(Status)", enum=True))
    assert is_status(orders, _column("status", nullable=False))
    assert is_status(orders, _column("order_status", default="'new'"))
    assert not is_status(orders, _column("last_check_status", nullable=False))
    assert not is_status(orders, _column("status"))  # nullable, no default: mirrored
    assert not is_status(_table("fsm_states"), _column("state", nullable=False))
    assert not is_status(_table("addresses"), _column("state", nullable=False))


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("categories", True),
        ("subcategories", True),
        ("tariffs", True),
        ("shipping_options", True),
        ("email_templates", True),
        ("user_roles", False),
        ("user_settings", False),
        ("orders", False),
        ("users", False),
    ],
)
def test_reference_tables(name: str, reference: bool) -> None:
    assert is_reference_table(name) is reference


def _migration(*ops: MigrationOp) -> Migration:
    return Migration("0001", (), "migrations/versions/0001.py", ops)


def test_indexes_migrations_create_by_operation_and_raw_sql() -> None:
    sql = (
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON public.orders USING btree "
        '("user_id", created_at DESC); CREATE UNIQUE INDEX ux ON payments (lower(email));'
        " ALTER TABLE ONLY payments ADD CONSTRAINT uq UNIQUE (provider, external_id)"
    )
    ops = (
        MigrationOp("create_index", "items", HERE, "ix", ("category_id",)),
        MigrationOp("create_unique_constraint", "users", HERE, "uq", ("telegram_id",)),
        MigrationOp("execute", "", HERE, options=(("sqltext", sql),)),
    )
    indexes = migration_indexes(Schema(migrations=(_migration(*ops),)))
    assert leads_index(indexes, "items", "category_id")
    assert leads_index(indexes, "orders", "user_id")
    assert not leads_index(indexes, "orders", "created_at")
    assert unique_with(indexes, "users", "telegram_id") == (("telegram_id",),)
    assert unique_with(indexes, "payments", "external_id") == (("provider", "external_id"),)
    assert unique_with(indexes, "payments", "email") == ()


def _facts(imports: tuple[str, ...] = (), migrations: tuple[Migration, ...] = ()) -> FileFacts:
    return FileFacts(path="app/db.py", module="app.db", imports=imports, migrations=migrations)


def _dependency(name: str) -> Dependency:
    return Dependency(name, "", Evidence("requirements.txt", 1))


def test_database_servers_from_drivers_dialects_and_alembic_options() -> None:
    project = build_project([_facts()], [_dependency("asyncpg")])
    assert database_servers(project) == {"postgresql"}
    project = build_project([_facts(("aiosqlite",))])
    assert database_servers(project) == {"sqlite"}
    project = build_project([_facts(("sqlalchemy.dialects.postgresql.JSONB",))])
    assert database_servers(project) == {"postgresql"}
    concurrent = MigrationOp(
        "create_index", "t", HERE, options=(("postgresql_concurrently", "True"),)
    )
    project = build_project(
        [_facts(migrations=(_migration(concurrent),))],
        schema_builder=lambda facts: Schema(migrations=(_migration(concurrent),)),
    )
    assert database_servers(project) == {"postgresql"}
    assert database_servers(build_project([_facts()])) == frozenset()
