"""Every index, unique and CHECK constraint the migrations create, including those the folded
tables do not show: raw SQL (`op.execute("CREATE INDEX CONCURRENTLY ...")`) and operations on
tables no migration creates (made by `create_all()` or by hand before the migrations)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from prodready.analysis.project.model import MigrationOp, Schema, Table

_NAME = r'"?(\w+)"?(?:\."?(\w+)"?)?'
_CREATE_INDEX = re.compile(
    r"create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?"
    rf"(?:\S+\s+)?on\s+(?:only\s+)?{_NAME}\s*(?:using\s+\w+\s*)?\(([^;]*?)\)",
    re.I | re.S,
)
_ADD_UNIQUE = re.compile(
    rf"alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?{_NAME}\s+add\s+(?:constraint\s+\S+\s+)?"
    r"unique\s*\(([^)]*)\)",
    re.I | re.S,
)
_COLUMN = re.compile(r'^\s*"?(\w+)"?\s*(?:asc|desc|nulls\s+\w+)?\s*$', re.I)


@dataclass(frozen=True, slots=True)
class MigrationIndex:
    """table and columns lower-cased; a column is "" when it is an expression."""

    table: str
    columns: tuple[str, ...]
    unique: bool


def _columns(text: str) -> tuple[str, ...]:
    found = []
    for part in (p for p in text.split(",") if p.strip()):
        match = _COLUMN.match(part)
        found.append(match[1].lower() if match else "")
    return tuple(found)


def _from_sql(sql: str) -> list[MigrationIndex]:
    found = [
        MigrationIndex((m[3] or m[2]).lower(), _columns(m[4]), bool(m[1]))
        for m in _CREATE_INDEX.finditer(sql)
    ]
    found += [
        MigrationIndex((m[2] or m[1]).lower(), _columns(m[3]), True)
        for m in _ADD_UNIQUE.finditer(sql)
    ]
    return found


def _from_op(op: MigrationOp) -> list[MigrationIndex]:
    columns = tuple(c.lower() for c in op.columns)
    table = op.table.lower()
    if op.kind == "create_index" and table:
        return [MigrationIndex(table, columns, op.option("unique") == "True")]
    if op.kind in ("create_unique_constraint", "create_primary_key") and table:
        return [MigrationIndex(table, columns, True)]
    if op.kind == "execute":
        return _from_sql(op.option("sqltext") or "")
    return []


def migration_indexes(schema: Schema) -> tuple[MigrationIndex, ...]:
    """Every index, unique constraint and primary key the migrations create (drops are not
    followed: an index created once is taken to exist)."""
    return tuple(i for m in schema.migrations for op in m.ops for i in _from_op(op))


def leads_index(indexes: tuple[MigrationIndex, ...], table: str, column: str) -> bool:
    """True when an index on `table` starts with `column`."""
    key = (table.lower(), column.lower())
    return any((i.table, i.columns[0]) == key for i in indexes if i.columns)


def unique_with(
    indexes: tuple[MigrationIndex, ...], table: str, column: str
) -> tuple[tuple[str, ...], ...]:
    """The column sets of unique indexes and constraints on `table` that include `column`."""
    name = column.lower()
    return tuple(
        i.columns for i in indexes if i.unique and i.table == table.lower() and name in i.columns
    )


def checked_columns(schema: Schema, table: Table) -> frozenset[str]:
    """Words of the CHECK constraints on `table`: the model's and those migrations add."""
    texts = list(table.check_constraints)
    for migration in schema.migrations:
        for op in migration.ops:
            if op.table != table.name:
                continue
            if op.kind == "create_check_constraint":
                texts.append(op.option("condition") or "")
            elif op.created is not None:
                texts += op.created.check_constraints
    return frozenset(w for text in texts for w in re.findall(r"\w+", text.lower()))
