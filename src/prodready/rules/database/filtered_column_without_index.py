"""DB020: a column of a growing table that queries look rows up by, with no index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from prodready.analysis.engines import long_running_path
from prodready.analysis.project.model import Column, Evidence, Table
from prodready.analysis.project.schema_names import (
    business_key,
    is_reference_table,
    type_head,
    words,
)
from prodready.analysis.project.schema_sql import MigrationIndex, leads_index, migration_indexes
from prodready.analysis.project.servers import database_servers
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.rows import growing_table

META = RuleMeta(
    id="DB020",
    name="filtered-column-without-index",
    title="Column looked up by equality has no index",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A query finds rows by `Model.column == value` (`.where(...)`, `.filter(...)`, "
        "`.filter_by(column=...)`) on a table that grows with the audience — users, payments, "
        "orders, subscriptions, messages — and the column has no index: no `index=True`, no "
        "`unique=True`, not the primary key, no `Index(...)` / unique constraint / "
        "`op.create_index` that starts with it or includes it. Only identifier-like columns "
        "are reported (`*_id`, `*_token`, `email`, `username`, `code`, ...); not foreign "
        "keys (DB011) nor payment identifiers (DB010 asks for them unique), booleans or "
        "enums, lookups whose other columns are indexed, bulk updates, lookups in tests, "
        "migrations or scripts, nor projects whose only database is SQLite."
    ),
    why=(
        "Without an index the database reads the whole table for every lookup: "
        "`WHERE email = $1` is instant with a thousand users and takes a sequential scan of "
        "the table once it holds millions, on every request or update that runs it. The "
        "slowdown arrives gradually with production data, never in development. (The rule "
        "cannot see how often the query runs or how large the table gets, hence medium "
        "confidence.)"
    ),
    fix="""Index the column the lookup filters on (unique when it is a key):

```python
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    email: Mapped[str | None] = mapped_column(String(255), index=True)
```""",
    migration=(
        "Generate the migration with `alembic revision --autogenerate`, then build the index "
        "without blocking writes: `with op.get_context().autocommit_block(): "
        "op.create_index('ix_users_email', 'users', ['email'], postgresql_concurrently=True)`."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://www.postgresql.org/docs/current/indexes-intro.html",
        "https://docs.sqlalchemy.org/en/20/core/constraints.html#indexes",
        "https://alembic.sqlalchemy.org/en/latest/ops.html#alembic.operations.Operations.create_index",
    ),
)

# What a key lookup finds one row or a few by: identifiers, handles, codes.
_KEY_WORDS = frozenset(
    {"id", "uuid", "guid", "key", "token", "code", "hash", "email", "username", "phone"}
    | {"slug", "number", "login", "nickname", "handle", "reference", "ref"}
)
_NOT_SERVICE = frozenset({"cli", "seed", "seeds", "demo", "fake", "fixture", "fixtures", "test"})


def _key_like(column: Column) -> bool:
    """Named as an identifier; not a boolean or enum (too few values for an index to help)."""
    parts = words(column.name)
    if column.enum or type_head(column) in ("Boolean", "Enum") or column.python_type == "bool":
        return False
    return bool(parts) and parts[-1] in _KEY_WORDS


def _served(table: Table, name: str, migrated: tuple[MigrationIndex, ...]) -> bool:
    """An index starts with the column, or includes it (a composite lookup it serves)."""
    if table.is_indexed(name) or leads_index(migrated, table.name, name):
        return True
    declared = (*table.indexes, *table.unique_constraints)
    key = (table.name.lower(), name.lower())
    return any(name in c for c in declared) or any(
        i.table == key[0] and key[1] in i.columns for i in migrated
    )


def _lookups(ctx: ProjectContext) -> list[tuple[Evidence, tuple[tuple[str, str], ...], str]]:
    found: list[tuple[Evidence, tuple[tuple[str, str], ...], str]] = []
    for fact in ctx.project.facts:
        path = fact.path
        if not long_running_path(path) or _NOT_SERVICE & set(words(PurePosixPath(path).stem)):
            continue
        found += [(Evidence(path, line), keys, f) for line, keys, f in fact.equality_lookups]
    return found


def _used(ctx: ProjectContext) -> set[str]:
    return {name for fact in ctx.project.facts for name in fact.referenced_names}


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    servers = database_servers(ctx.project, ctx.files)
    if servers and servers <= {"sqlite"}:
        return  # a local file database: small tables
    schema = ctx.project.model.schema
    migrated = migration_indexes(schema)
    reported: set[tuple[str, str]] = set()
    used = _used(ctx)
    for where, keys, function in _lookups(ctx):
        if function and function not in used:
            continue  # dead code, or only a test or `__main__` block calls it
        found = [(t, t.column(name)) for model, name in keys if (t := schema.table_of_model(model))]
        columns = [(t, c) for t, c in found if c is not None]
        if any(c.foreign_keys or _served(t, c.name, migrated) for t, c in columns):
            continue  # an index (or DB011's foreign key) serves this lookup
        for table, column in columns:
            if (table.name, column.name) in reported or not _key_like(column):
                continue
            if business_key(table, column):  # DB010 asks for a unique constraint on it
                continue
            if not growing_table(table.name) or is_reference_table(table.name):
                continue
            reported.add((table.name, column.name))
            yield ctx.finding_at(
                column.evidence,
                f"`{table.name}.{column.name}` is looked up by equality at {where} with no "
                "index on it: each lookup scans the whole table as it grows",
            )
