"""DB021: a `<table>_id` column of a project table declared without a foreign key."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Column, Schema, Table
from prodready.analysis.project.schema_names import key_kind, words
from prodready.analysis.project.servers import database_servers
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB021",
    name="id-column-without-foreign-key",
    title="Reference column without a foreign key",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.LOW,
    what=(
        "A column named after another table of the project — `user_id` beside a `users` "
        "table or a `User` model, `order_id` beside `orders` — is declared without "
        "`ForeignKey(...)` and no migration adds one (`op.create_foreign_key`). Reported on "
        "PostgreSQL and MySQL projects only; identifiers of other systems (`telegram_id`, "
        "`chat_id`, `external_id`, `invoice_id`, `<provider>_payment_id`) are not references."
    ),
    why=(
        "Without the constraint the database accepts a row pointing at a user or order that "
        "does not exist or was deleted: orphans pile up, joins silently drop rows, and a "
        "typo'd id is stored instead of rejected. Deleting a parent leaves its children "
        "behind, since no `ON DELETE` rule can apply. (The column may hold an id of another "
        "system that happens to share the name, hence low confidence.)"
    ),
    fix="""Declare the reference, and index it (PostgreSQL does not index foreign keys):

```python
from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
```""",
    migration=(
        "Delete or repair orphaned rows first, then add the constraint in a migration: "
        "`op.create_foreign_key('fk_payments_user_id', 'payments', 'users', ['user_id'], "
        "['id'], postgresql_not_valid=True)` followed by `ALTER TABLE payments VALIDATE "
        "CONSTRAINT fk_payments_user_id` so the check of existing rows does not block writes."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK",
        "https://docs.sqlalchemy.org/en/20/core/constraints.html#defining-foreign-keys",
        "https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.create_foreign_key",
    ),
)

# Words that make an `_id` an identifier of another system, not a row of the project.
_EXTERNAL = frozenset(
    {"telegram", "tg", "chat", "provider", "external", "invoice", "payment", "charge"}
    | {"stripe", "yookassa", "crypto", "remote", "panel", "vendor", "message", "file"}
)


# A Telegram-side table (`telegram_admins`, `tg_chats`): its `user_id` is Telegram's.
_TELEGRAM_SIDE = frozenset({"telegram", "tg", "chat", "chats"})


def _same_kind(column: Column, target: Table) -> bool:
    """The column can hold the target's primary key: not a Telegram id in a BigInteger beside
    an Integer key, nor a provider's string id beside a numeric one."""
    keys = [c for c in target.columns if c.primary_key]
    if len(keys) != 1:
        return False
    mine, theirs = key_kind(column), key_kind(keys[0])
    return not (mine and theirs) or mine == theirs


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _names(schema: Schema) -> dict[str, Table]:
    """Each table by its name and its model's, singular, in snake words: "order_item"."""
    found: dict[str, Table] = {}
    for table in schema.tables:
        for name in (table.name, table.model.rsplit(".", 1)[-1]):
            parts = words(name)
            if parts:
                found.setdefault("_".join((*parts[:-1], _singular(parts[-1]))), table)
    return found


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if not database_servers(ctx.project, ctx.files) & {"postgresql", "mysql"}:
        return
    schema = ctx.project.model.schema
    tables = _names(schema)
    added = {
        (op.table.lower(), column.lower())
        for migration in schema.migrations
        for op in migration.ops
        if op.kind == "create_foreign_key"
        for column in op.columns
    }
    for table in schema.tables:
        for column in table.columns:
            parts = words(column.name)
            if column.foreign_keys or column.primary_key or parts[-1:] != ("id",):
                continue
            if (table.name.lower(), column.name.lower()) in added:
                continue
            if len(parts) < 2 or set(parts) & _EXTERNAL or _TELEGRAM_SIDE & set(words(table.name)):
                continue
            target = tables.get("_".join(parts[:-1]))
            if target is None or target is table or not _same_kind(column, target):
                continue
            yield ctx.finding_at(
                column.evidence,
                f"`{table.name}.{column.name}` names the `{target.name}` table but has no "
                "foreign key: rows may point at ones that do not exist",
            )
