"""What a table's or column's name and type say it holds: payment and event identifiers, the
Telegram user key of a users table, money, timestamps, statuses, reference data, columns every
row needs. The naming tables the schema rules share."""

from __future__ import annotations

import re
from collections.abc import Iterable

from prodready.analysis.project.model import Column, Table

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD = re.compile(r"[a-z0-9]+")


def words(name: str) -> tuple[str, ...]:
    """`paidAt` / `paid_at` -> ("paid", "at")."""
    return tuple(_WORD.findall(_CAMEL.sub("_", name).lower()))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "uses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# A table that records payments: its provider identifiers must be unique.
_PAYMENT_TABLE = frozenset(
    {"payment", "transaction", "invoice", "charge", "purchase", "deposit", "topup", "bill"}
)
# A table that records provider events or webhooks delivered at least once.
_EVENT_TABLE = frozenset({"webhook", "callback", "inbox"})
# Identifiers of one payment at the provider, wherever they are stored.
_CHARGE_IDS = frozenset(
    {
        "telegram_payment_charge_id",
        "provider_payment_charge_id",
        "telegram_charge_id",
        "payment_charge_id",
        "idempotency_key",
    }
)
# `<provider>_payment_id` and the like: the last words of a provider identifier.
_PROVIDER_ID_TAILS = (("payment", "id"), ("transaction", "id"), ("invoice", "id"), ("order", "id"))
_PROVIDER_IDS = frozenset({"external_id", "invoice_id", "bill_id", "charge_id", "transaction_id"})
# Prefixes naming an identifier several rows share (Apple's original_transaction_id, a
# subscription's last charge) or a reference to another row.
_SHARED_PREFIXES = frozenset(
    {"original", "parent", "previous", "prev", "last", "related", "linked", "root", "first"}
)
_USERS_TABLES = frozenset({"user", "telegram_user", "tg_user", "bot_user"})
_TELEGRAM_USER_KEYS = frozenset({"telegram_id", "tg_id", "telegram_user_id", "tg_user_id"})


def is_payment_table(name: str) -> bool:
    return any(_singular(w) in _PAYMENT_TABLE for w in words(name))


def is_users_table(name: str) -> bool:
    return "_".join(_singular(w) for w in words(name)) in _USERS_TABLES


def business_key(table: Table, column: Column) -> str:
    """ "payment" for a provider payment / event identifier, "user" for the Telegram user id
    of a users table, "" otherwise. A foreign key or primary key is never one."""
    if column.foreign_keys or column.primary_key:
        return ""
    name = column.name.lower()
    parts = words(name)
    if name == "provider_payment_charge_id" and table.column("telegram_payment_charge_id"):
        return ""  # Telegram's id is the key; a Stars payment's provider id is empty
    if name in _CHARGE_IDS:
        return "payment"
    if is_users_table(table.name):
        keys = _TELEGRAM_USER_KEYS | {"user_id"}
        return "user" if name in keys else ""
    if not parts or parts[0] in _SHARED_PREFIXES:
        return ""
    table_words = {_singular(w) for w in words(table.name)}
    if "outbox" in table_words:
        return ""
    provider_id = name in _PROVIDER_IDS or (len(parts) > 2 and parts[-2:] in _PROVIDER_ID_TAILS)
    if table_words & _PAYMENT_TABLE and provider_id:
        return "payment"
    if table_words & (_EVENT_TABLE | _PAYMENT_TABLE) and parts[-2:] == ("event", "id"):
        return "payment"
    return ""


# Tables of reference data and catalogues an admin edits by hand: tens or thousands of rows,
# never millions.
_REFERENCE_TABLES = frozenset(
    {
        "category",
        "product",
        "variant",
        "store",
        "shop",
        "brand",
        "news",
        "article",
        "campaign",
        "achievement",
        "promocode",
        "organizer",
        "subcategory",
        "setting",
        "config",
        "configuration",
        "template",
        "tariff",
        "plan",
        "role",
        "permission",
        "banner",
        "tag",
        "language",
        "country",
        "faq",
        "option",
        "feature",
    }
)


_PER_USER = frozenset({"user", "customer", "client", "account", "member", "order", "payment"})


def is_reference_table(name: str) -> bool:
    """`categories`, `tariffs`, `shipping_options`; not `user_roles` or `user_settings`, which
    grow with the users."""
    found = [_singular(w) for w in words(name)]
    return bool(found) and found[-1] in _REFERENCE_TABLES and not set(found) & _PER_USER


# Columns that hold money, by one of their words; and words that say the number is not money.
_MONEY = frozenset(
    {
        "amount",
        "price",
        "balance",
        "cost",
        "total",
        "sum",
        "fee",
        "payout",
        "revenue",
        "profit",
        "income",
        "earning",
        "spent",
        "usd",
        "rub",
        "eur",
        "kopek",
        "cent",
    }
)
_NOT_MONEY = frozenset(
    {
        "percent",
        "percentage",
        "pct",
        "rate",
        "ratio",
        "count",
        "gb",
        "mb",
        "kb",
        "byte",
        "traffic",
        "quantity",
        "qty",
        "weight",
        "probability",
        "score",
        "day",
        "hour",
        "minute",
        "second",
        "time",
        "duration",
        "limit",
    }
)


def is_money(name: str) -> bool:
    found = {_singular(w) for w in words(name)}
    return bool(found & _MONEY) and not found & _NOT_MONEY


# Django's field classes too (Table.source "django"); its DateTimeField is not among the
# datetimes: on PostgreSQL Django always creates `timestamp with time zone`.
_FLOATS = frozenset(
    {"Float", "FLOAT", "Double", "DOUBLE", "DOUBLE_PRECISION", "REAL", "Real", "FloatField"}
)
_DATETIMES = frozenset({"DateTime", "DATETIME", "TIMESTAMP"})
_STRINGS = frozenset(
    {"String", "Text", "Unicode", "UnicodeText", "VARCHAR", "NVARCHAR", "CHAR", "TEXT", "CITEXT"}
    | {"CharField", "TextField"}
)
_TIMEZONE = re.compile(r"^\w+\(\s*(?:True\b|timezone\s*=\s*True\b)")


def type_head(column: Column) -> str:
    """The type's class as written: "DateTime(timezone=True)" -> "DateTime"."""
    return column.type.split("(", 1)[0].rsplit(".", 1)[-1].strip()


def is_float(column: Column) -> bool:
    return type_head(column) in _FLOATS


def is_naive_datetime(column: Column) -> bool:
    """A `DateTime` / `TIMESTAMP` without `timezone=True`; custom types are unknown (False)."""
    return type_head(column) in _DATETIMES and not _TIMEZONE.match(column.type.split(".")[-1])


def is_free_string(column: Column) -> bool:
    return type_head(column) in _STRINGS and not column.enum


_STATUS = frozenset({"status", "state", "stage"})
# Tables that keep a bot's conversation state (aiogram / PTB storages) or addresses.
_STATE_TABLES = frozenset({"fsm", "storage", "state", "conversation", "address"})


def is_status(table: Table, column: Column) -> bool:
    """The row's own lifecycle state: `status`, `state`, `stage`, or the table's entity
    with one of them (`order_status` on `orders`). Not a bot's FSM state, an address's state,
    nor an observation (`last_check_status`, `network_state`); not a nullable column with no
    default (a value mirrored from elsewhere, when known)."""
    parts = words(column.name)
    if not parts or parts[-1] not in _STATUS:
        return False
    table_words = {_singular(w) for w in words(table.name)}
    if not {_singular(w) for w in parts[:-1]} <= table_words:
        return False
    if parts[-1] == "state" and table_words & _STATE_TABLES:
        return False
    return not (column.nullable and not column.default and not column.server_default)


# Columns a composite unique constraint may add to a business key without weakening it for
# duplicates of one delivery: the provider, the owner, the tenant, the kind of event.
_SCOPE_WORDS = frozenset(
    {"provider", "gateway", "method", "system", "source", "type", "kind", "service"}
    | {"user", "bot", "tenant", "shop", "merchant"}
)


def unique_enough(table: Table, name: str, more: Iterable[tuple[str, ...]] = ()) -> bool:
    """`name` is unique alone, or with columns naming its provider or owner, in the table's
    constraints or in `more` (e.g. the unique indexes migrations create)."""
    if table.is_unique(name):
        return True
    key = name.lower()
    for columns in (*table.unique_constraints, *more):
        lowered = [c.lower() for c in columns]
        others = [c for c in lowered if c != key]
        if key in lowered and all(_SCOPE_WORDS & set(words(c)) for c in others):
            return True
    return False


# Tables whose rows belong to a user and carry an amount and a state; rows that exist before or
# without a registered owner.
_OWNED_TABLES = frozenset({"order", "subscription"})
_OWNED_COLUMNS = frozenset({"user_id", "amount", "currency", "status"})
_OWNERLESS = frozenset({"guest", "anonymous", "pending", "draft", "system"})


def is_required(table: Table, column: Column) -> bool:
    """A nullable column with no default that every row needs: `created_at` anywhere; the
    owner, amount, currency or status of a payment, order or subscription."""
    if not column.nullable or column.default or column.server_default or column.primary_key:
        return False
    name = column.name.lower()
    if name == "created_at":
        return True
    if name not in _OWNED_COLUMNS:
        return False
    table_words = {_singular(w) for w in words(table.name)}
    if table_words & _OWNERLESS:
        return False
    return bool(table_words & _OWNED_TABLES) or is_payment_table(table.name)


_KINDS = {"Integer": "int", "INTEGER": "int", "int": "int", "BigInteger": "big", "BIGINT": "big"}
_KINDS |= {"UUID": "uuid", "Uuid": "uuid", "uuid.UUID": "uuid", "UUID4": "uuid"}
_KINDS |= {
    "IntegerField": "int",
    "BigIntegerField": "big",
    "AutoField": "int",
    "BigAutoField": "big",
}
_KINDS |= {"PositiveIntegerField": "int", "PositiveBigIntegerField": "big", "UUIDField": "uuid"}


def key_kind(column: Column) -> str:
    """What a key column holds: "int", "big" (BigInteger), "uuid", or "str" for any other
    declared type; "" when unknown."""
    head = type_head(column)
    if head:
        return _KINDS.get(head, "str")
    return _KINDS.get(column.python_type.replace("| None", "").strip(), "")
