"""Django ORM models as schema tables: fields, Meta constraints, table names, inheritance."""

from __future__ import annotations

from prodready.analysis.project import schema_alembic, schema_django
from prodready.analysis.project.model import Table
from prodready.analysis.project.schema_merge import build_schema
from tests.analysis.project.schema_helpers import parsed

MODELS = """
from django.db import models
from django.db.models import UniqueConstraint


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Customer(Timestamped):
    telegram_id = models.BigIntegerField(unique=True)
    nickname = models.CharField(max_length=64, null=True, db_index=True)


class Order(Timestamped):
    class Status(models.TextChoices):
        NEW = "new"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, db_index=False)
    parent = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    weight = models.FloatField()
    charge_id = models.CharField(max_length=64)
    objects = models.Manager()

    class Meta:
        db_table = "orders"
        unique_together = ("customer", "charge_id")
        indexes = [models.Index(fields=["-total"])]
        constraints = [
            UniqueConstraint(fields=["charge_id"], name="uq_charge"),
            UniqueConstraint(fields=["product"], condition=models.Q(total__gt=0), name="p"),
            models.CheckConstraint(check=models.Q(status__in=["new"]), name="ck_status"),
        ]


class Receipt(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, primary_key=True)


class Proxy(Order):
    class Meta:
        proxy = True


class SpecialOrder(Order):
    note = models.TextField()
"""


def _tables(text: str, path: str = "shop/orders/models.py") -> dict[str, Table]:
    facts = schema_django.extract(parsed(text, path))
    return {t.name: t for t in facts.tables}


def test_fields_become_columns_with_django_defaults() -> None:
    tables = _tables(MODELS)
    assert sorted(tables) == ["orders", "orders_customer", "orders_receipt", "orders_specialorder"]
    customer = tables["orders_customer"]
    assert customer.source == "django"
    assert [c.name for c in customer.columns] == ["id", "created_at", "telegram_id", "nickname"]
    assert customer.column("id").primary_key  # type: ignore[union-attr]
    assert customer.is_unique("telegram_id")
    nickname = customer.column("nickname")
    assert nickname is not None and nickname.nullable and nickname.index
    assert nickname.type == "CharField(max_length=64)"
    assert not customer.column("telegram_id").nullable  # type: ignore[union-attr]


def test_foreign_keys_are_indexed_unless_switched_off() -> None:
    order = _tables(MODELS)["orders"]
    customer, product = order.column("customer_id"), order.column("product_id")
    assert customer is not None and customer.index
    assert customer.foreign_keys == ("orders_customer.id",)
    assert product is not None and not product.index
    assert product.foreign_keys == ("catalog_product.id",)
    assert order.column("parent_id").foreign_keys == ("orders.id",)  # type: ignore[union-attr]
    receipt = _tables(MODELS)["orders_receipt"]
    assert [c.name for c in receipt.columns] == ["order_id"]
    assert receipt.is_unique("order_id")


def test_meta_constraints_indexes_and_choices() -> None:
    order = _tables(MODELS)["orders"]
    assert ("customer_id", "charge_id") in order.unique_constraints
    assert order.is_unique("charge_id")
    assert ("product_id",) not in order.unique_constraints  # partial: not unique overall
    assert order.indexes == (("total",),)
    assert order.check_constraints == ("models.Q(status in=['new'])",)
    status = order.column("status")
    assert status is not None and not status.enum and "choices=" in status.type
    assert order.column("objects") is None


def test_inheritance_proxy_and_multi_table() -> None:
    tables = _tables(MODELS)
    special = tables["orders_specialorder"]
    assert [c.name for c in special.columns] == ["order_ptr_id", "note"]
    assert special.column("order_ptr_id").foreign_keys == ("orders.id",)  # type: ignore[union-attr]
    assert "orders_proxy" not in tables


def test_app_label_is_the_package_of_the_models_module() -> None:
    assert schema_django.app_label("shop.orders.models") == "orders"
    assert schema_django.app_label("shop.orders.models.payment") == "orders"
    assert schema_django.app_label("billing.models") == "billing"
    text = "from django.db import models\n\nclass Invoice(models.Model):\n    pass\n"
    assert list(_tables(text, "apps/billing/models/invoice.py")) == ["billing_invoice"]


def test_a_base_from_another_file_counts_when_the_class_has_django_fields() -> None:
    text = """
    from django.db import models
    from core.models import TimeStamped
    from pydantic import BaseModel


    class Payment(TimeStamped):
        amount = models.DecimalField(max_digits=10, decimal_places=2)


    class Schema(BaseModel):
        amount: float = 0
    """
    assert list(_tables(text, "shop/payments/models.py")) == ["payments_payment"]


def test_files_without_django_are_skipped() -> None:
    text = "from sqlalchemy.orm import DeclarativeBase\n\nclass Base(DeclarativeBase):\n    pass\n"
    assert _tables(text) == {}


MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))
"""


def test_django_tables_stay_out_of_alembic_drift() -> None:
    """A bot migrated by Alembic beside a Django admin: Django's migrations own its tables."""
    django = schema_django.extract(parsed(MODELS, "shop/orders/models.py"))
    alembic = schema_alembic.extract(parsed(MIGRATION, "bot/migrations/versions/0001_users.py"))
    schema = build_schema([django, alembic])
    assert {t.name for t in schema.tables} >= {"orders", "orders_customer", "users"}
    assert [m.revision for m in schema.migrations] == ["0001"]
    assert schema.differences == ()
