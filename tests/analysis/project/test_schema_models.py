"""Tables from SQLAlchemy declarative classes and Core tables, one file at a time.

Expected nullability and types were checked against SQLAlchemy 2.1 building the same classes.
"""

from __future__ import annotations

from prodready.analysis.project import schema_models
from prodready.analysis.project.model import (
    Column,
    Evidence,
    FileFacts,
    ModelBase,
    Relationship,
    Table,
)
from tests.analysis.project.schema_helpers import fixture, parsed

SA2 = "schema_sa2"


def _at(path: str):  # type: ignore[no-untyped-def]
    return lambda line: Evidence(path, line)


def test_sa2_base_file_gives_templates_with_tablename_pattern_and_type_map() -> None:
    ev = _at("shop/db/base.py")
    facts = schema_models.extract(fixture(SA2, "shop/db/base.py"))
    assert facts == FileFacts(
        path="shop/db/base.py",
        module="shop.db.base",
        model_bases=(
            ModelBase(
                name="shop.db.base.Base",
                kind="base",
                evidence=ev(11),
                bases=("sqlalchemy.ext.asyncio.AsyncAttrs", "sqlalchemy.orm.DeclarativeBase"),
                columns=(Column("id", "BigInteger", ev(18), nullable=False, primary_key=True),),
                tablename="{snake}s",
                type_map=(("datetime.datetime", "DateTime(timezone=True)"),),
            ),
            ModelBase(
                name="shop.db.base.TimestampMixin",
                kind="base",
                evidence=ev(21),
                columns=(
                    Column(
                        "created_at",
                        "DateTime",
                        ev(22),
                        nullable=False,
                        server_default="func.now()",
                        python_type="datetime.datetime",
                    ),
                    Column("updated_at", "DateTime", ev(23), python_type="datetime.datetime"),
                ),
            ),
        ),
    )


def test_sa2_models_named_by_a_base_elsewhere_are_pending() -> None:
    ev = _at("shop/db/models/user.py")
    facts = schema_models.extract(fixture(SA2, "shop/db/models/user.py"))
    assert facts.tables == ()
    assert facts.model_bases == (
        ModelBase(
            name="shop.db.models.user.User",
            kind="pending",
            evidence=ev(11),
            bases=("shop.db.base.TimestampMixin", "shop.db.base.Base"),
            columns=(
                Column("telegram_id", "Integer", ev(12), False, unique=True, python_type="int"),
                Column("username", "String(64)", ev(13)),
                Column("language", "String", ev(14), False, default="en", python_type="str"),
            ),
            relationships=(Relationship("orders", "Order", "raise", ev(15), many=True),),
        ),
        ModelBase(
            name="shop.db.models.user.Admin",
            kind="pending",
            evidence=ev(18),
            bases=("shop.db.models.user.User",),
            columns=(Column("permissions", "String", ev(23), python_type="str"),),
        ),
    )


def test_sa2_table_args_foreign_key_to_a_model_and_enum_from_another_file() -> None:
    ev = _at("shop/db/models/order.py")
    facts = schema_models.extract(fixture(SA2, "shop/db/models/order.py"))
    assert facts.tables == (
        Table(
            name="orders",
            source="model",
            evidence=ev(16),
            model="shop.db.models.order.Order",
            columns=(
                Column("user_id", "", ev(24), False, foreign_keys=("User.id",)),
                Column("provider_charge_id", "String", ev(25), False, python_type="str"),
                Column("total", "Numeric(12, 2)", ev(26), False),
                Column(
                    "status",
                    "OrderStatus",
                    ev(27),
                    False,
                    index=True,
                    default="OrderStatus.NEW",
                    python_type="shop.db.enums.OrderStatus",
                ),
            ),
            unique_constraints=(("user_id", "provider_charge_id"),),
            indexes=(("status", "created_at"),),
            check_constraints=("total >= 0",),
            relationships=(
                Relationship("user", "User", "select", ev(28), many=False),
                Relationship("items", "OrderItem", "select", ev(29), many=True),
            ),
            bases=("shop.db.base.TimestampMixin", "shop.db.base.Base"),
        ),
    )
    assert facts.model_bases == (
        ModelBase(
            name="shop.db.models.order.OrderItem",
            kind="pending",
            evidence=ev(11),
            bases=("shop.db.base.TimestampMixin", "shop.db.base.Base"),
            columns=(
                Column("order_id", "", ev(12), False, foreign_keys=("orders.id",)),
                Column("price", "Float", ev(13), False),
            ),
        ),
    )


def test_sa1_declarative_base_abstract_model_mixin_core_table_and_standalone_index() -> None:
    ev = _at("bot/models.py")
    facts = schema_models.extract(fixture("schema_sa1", "bot/models.py"))
    inherited = (
        Column("id", "Integer", ev(21), False, primary_key=True),
        Column("created_at", "DateTime", ev(22), default="func.now()"),
    )
    assert facts.tables == (
        Table(
            name="user_groups",
            source="core",
            evidence=ev(31),
            columns=(
                Column("user_id", "", ev(34), False, primary_key=True, foreign_keys=("users.id",)),
                Column(
                    "group_id",
                    "Integer",
                    ev(35),
                    False,
                    primary_key=True,
                    foreign_keys=("groups.id",),
                ),
            ),
            unique_constraints=(("group_id", "user_id"),),
        ),
        Table(
            name="users",
            source="model",
            evidence=ev(40),
            model="bot.models.User",
            columns=(
                Column("telegram_id", "BigInteger", ev(44), False, index=True),
                Column("display_name", "String(255)", ev(45)),
                Column("balance", "Float", ev(46), False, server_default="0"),
                *inherited,
            ),
            relationships=(
                Relationship("payments", "Payment", "dynamic", ev(47)),
                Relationship("groups", "Group", "select", ev(48), many=True),
            ),
            bases=("bot.models.Model",),
        ),
        Table(
            name="groups",
            source="model",
            evidence=ev(51),
            model="bot.models.Group",
            columns=(Column("title", "Unicode(100)", ev(54), unique=True), *inherited),
            bases=("bot.models.Model",),
        ),
        Table(
            name="payments",
            source="model",
            evidence=ev(57),
            model="bot.models.Payment",
            columns=(
                Column("charge_id", "String(64)", ev(65), False),
                Column("amount", "Numeric(10, 2)", ev(66), False),
                Column(
                    "status", "Enum(Status)", ev(67), False, default="Status.PENDING", enum=True
                ),
                Column("state", "String(20)", ev(68), default="new"),
                Column("group_id", "Integer", ev(69), foreign_keys=("groups.id",)),
                Column("user_id", "", ev(27), False, foreign_keys=("users.id",)),
                *inherited,
            ),
            unique_constraints=(("charge_id",),),
            indexes=(("charge_id",),),
            check_constraints=("amount > 0",),
            relationships=(Relationship("user", "User", "joined", ev(70)),),
            bases=("bot.models.OwnedMixin", "bot.models.Model"),
        ),
    )
    assert [(b.name, b.kind, b.bases) for b in facts.model_bases] == [
        ("bot.models.Model", "base", ("Base",)),
        ("bot.models.OwnedMixin", "base", ()),
    ]


NULLABILITY = """
from typing import Optional, Union
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Row(Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(primary_key=True, nullable=True)
    a: Mapped[str]
    b: Mapped[Optional[str]]
    c: Mapped[str | None] = mapped_column(sa.String(20))
    d: Mapped["None | int"]
    e: Mapped[Union[int, None]]
    f: Mapped[Optional[str]] = mapped_column(nullable=False)
    g: Mapped[str] = mapped_column(nullable=True)
    h = mapped_column(sa.Integer)
    i: Mapped[str] = sa.Column(sa.String)
    j: Mapped[int] = mapped_column("j_column", sa.BigInteger, nullable=is_nullable())
    k: "Mapped[bool]"
"""


def test_nullability_is_inferred_as_sqlalchemy_2_does() -> None:
    table = schema_models.extract(parsed(NULLABILITY)).tables[0]
    got = {c.name: (c.type, c.nullable, c.python_type) for c in table.columns}
    assert got == {
        "id": ("Integer", False, "int"),
        "a": ("String", False, "str"),
        "b": ("String", True, "str"),
        "c": ("String(20)", True, ""),
        "d": ("Integer", True, "int"),
        "e": ("Integer", True, "int"),
        "f": ("String", False, "str"),
        "g": ("String", True, "str"),
        "h": ("Integer", True, ""),
        "i": ("String", True, ""),
        "j_column": ("BigInteger", False, ""),
        "k": ("Boolean", False, "bool"),
    }


TYPES = """
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal
from sqlalchemy import JSON, DateTime, Enum, registry
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

intpk = Annotated[int, mapped_column(primary_key=True)]
created = Annotated[dt.datetime, mapped_column(server_default="now()")]

class Kind(enum.IntEnum):
    A = 1

class Base(DeclarativeBase):
    registry = registry(type_annotation_map={dict[str, Any]: JSON, dt.datetime: DateTime(True)})

class Thing(Base):
    __tablename__ = "things"
    id: Mapped[intpk]
    created_at: Mapped[created]
    day: Mapped[dt.date]
    money: Mapped[Decimal]
    ratio: Mapped[float]
    key: Mapped[uuid.UUID]
    blob: Mapped[bytes]
    data: Mapped[dict[str, Any]]
    kind: Mapped[Kind]
    mode: Mapped[Literal["a", "b"]]
    level: Mapped[str] = mapped_column(Enum("low", "high", name="level"))
    tags = mapped_column(postgresql.ARRAY(postgresql.TEXT()))
    other: Mapped["Unknown"]
"""


def test_types_from_annotations_aliases_type_map_and_enums() -> None:
    table = schema_models.extract(parsed(TYPES)).tables[0]
    got = {c.name: (c.type, c.nullable, c.primary_key, c.enum) for c in table.columns}
    assert got == {
        "id": ("Integer", False, True, False),
        "created_at": ("DateTime(True)", False, False, False),
        "day": ("Date", False, False, False),
        "money": ("Numeric", False, False, False),
        "ratio": ("Float", False, False, False),
        "key": ("Uuid", False, False, False),
        "blob": ("LargeBinary", False, False, False),
        "data": ("JSON", False, False, False),
        "kind": ("Enum(Kind)", False, False, True),
        "mode": ("Enum", False, False, True),
        "level": ("Enum('low', 'high', name='level')", False, False, True),
        "tags": ("ARRAY(TEXT)", True, False, False),
        "other": ("Unknown", False, False, False),
    }
    assert table.column("created_at") == Column(
        "created_at",
        "DateTime(True)",
        Evidence("app/models.py", 23),
        nullable=False,
        server_default="now()",
        python_type="datetime.datetime",
    )


OTHER_FORMS = """
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, declared_attr, relationship
from app.db import metadata

class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls):
        return cls.__name__.lower()

class Account(Base):
    id = sa.Column(sa.Integer, primary_key=True)
    owner = relationship("User", lazy="selectin")

class Legacy(Base):
    __table__ = sa.Table(
        "legacy_rows", metadata, sa.Column("id", sa.Integer, primary_key=True)
    )

events = sa.Table("events", metadata, sa.Column("payload", sa.JSON), sa.Index("ix", "payload"))
"""


def test_declared_attr_table_name_table_attribute_and_core_table() -> None:
    ev = _at("app/models.py")
    tables = schema_models.extract(parsed(OTHER_FORMS)).tables
    assert tables == (
        Table(
            name="account",
            source="model",
            evidence=ev(11),
            columns=(Column("id", "Integer", ev(12), False, primary_key=True),),
            model="app.models.Account",
            relationships=(Relationship("owner", "User", "selectin", ev(13)),),
            bases=("app.models.Base",),
        ),
        Table(
            name="legacy_rows",
            source="model",
            evidence=ev(16),
            columns=(Column("id", "Integer", ev(17), False, primary_key=True),),
            model="app.models.Legacy",
            bases=("app.models.Base",),
        ),
        Table(
            name="events",
            source="core",
            evidence=ev(20),
            columns=(Column("payload", "JSON", ev(20)),),
            indexes=(("payload",),),
        ),
    )


ODD = """
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

class Weird(Base):
    __tablename__ = make_name()
    x = sa.Column(*columns)

class Odd(Base):
    __tablename__ = "odd"
    __table_args__ = build_args()
    a = sa.Column()
    b: Mapped = mapped_column()
    c: Mapped[int] = mapped_column(**options)
    d = relationship()
    e: Mapped[int] = 5
    f = mapped_column(sa.ForeignKey(), sa.Sequence("s"))
    Index = sa.Index()

class Annotated(Base):
    __tablename__ = "annotated"
    id: int = sa.Column(sa.Integer, primary_key=True)
    note: str = sa.Column(sa.Text)

class NotAModel:
    name: str = "x"

def factory():
    return sa.Table("inside_function", metadata, sa.Column("id", sa.Integer))

sa.Table(name_from_variable, metadata)
sa.Index("ix_unknown", Unknown.column)
"""


def test_odd_patterns_are_skipped_without_error() -> None:
    ev = _at("app/models.py")
    facts = schema_models.extract(parsed(ODD))
    assert facts.tables == (
        Table(
            name="odd",
            source="model",
            evidence=ev(9),
            model="app.models.Odd",
            columns=(
                Column("a", "", ev(12)),
                Column("b", "", ev(13)),
                Column("c", "Integer", ev(14), False, python_type="int"),
                Column("f", "", ev(17)),
            ),
            relationships=(Relationship("d", "", "select", ev(15)),),
            bases=("Base",),
        ),
        Table(
            name="annotated",
            source="model",
            evidence=ev(20),
            model="app.models.Annotated",
            columns=(
                Column("id", "Integer", ev(22), False, primary_key=True),
                Column("note", "Text", ev(23)),
            ),
            bases=("Base",),
        ),
    )
    assert [(b.name, b.kind) for b in facts.model_bases] == [("app.models.Weird", "pending")]


def test_a_file_without_models_gives_nothing() -> None:
    facts = schema_models.extract(parsed("import os\n\nclass Service:\n    x: int = 1\n"))
    assert facts == FileFacts(path="app/models.py", module="app.models")
