"""Alembic operations that take schema away from the code already running: the head revisions
(not yet followed by another, so likely not yet deployed), their renames and drops, and what
they add beside them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from prodready.analysis.project.model import Migration, MigrationOp, Schema


@dataclass(frozen=True, slots=True)
class Destructive:
    """An operation of a revision that removes or renames schema: kind is "rename column",
    "rename table", "drop column" or "drop table"; what names it ("table.column" or a table);
    detail is the new name of a rename."""

    op: MigrationOp
    kind: str
    what: str
    detail: str = ""


def heads(migrations: Iterable[Migration]) -> tuple[Migration, ...]:
    """The revisions no other revision names as its `down_revision`."""
    found = tuple(migrations)
    parents = {down for m in found for down in m.down_revisions}
    return tuple(m for m in found if m.revision not in parents)


def known(schema: Schema, table: str) -> bool:
    """The project made `table`: a migration creates it or a model declares it (not a table of
    an extension — PostGIS — that autogenerate proposes to drop)."""
    return schema.created_in(table) is not None or schema.table(table) is not None


def still_declared(schema: Schema, found: Destructive) -> bool:
    """A model still declares the dropped table or column: drift between the models and the
    migrations (DB018's subject), not an expand–contract step."""
    if found.kind not in ("drop table", "drop column"):
        return False
    table = schema.table(found.op.table)
    if table is None or table.source not in ("model", "core"):
        return False
    return found.kind == "drop table" or table.column(found.op.name) is not None


def _added(migration: Migration) -> set[str]:
    """Tables the revision creates and "table.column" it adds."""
    found: set[str] = set()
    for op in migration.ops:
        if op.kind == "create_table" and op.table:
            found.add(op.table)
        elif op.kind == "add_column" and op.table and op.name:
            found.add(f"{op.table}.{op.name}")
    return found


def destructive(migration: Migration) -> Iterator[Destructive]:
    """The renames and drops of a revision's `upgrade()`, except those of tables or columns
    the same revision created."""
    added = _added(migration)
    for op in migration.ops:
        column = f"{op.table}.{op.name}"
        if op.table in added or column in added:
            continue  # a scratch table or column, or the new one taking the old one's name
        if op.kind == "rename_table" and op.table and op.name:
            yield Destructive(op, "rename table", op.table, op.name)
        elif op.kind == "drop_table" and op.table:
            yield Destructive(op, "drop table", op.table)
        elif op.kind == "drop_column" and op.name:
            yield Destructive(op, "drop column", column)
        elif op.kind == "alter_column" and op.name and (renamed := op.option("new_column_name")):
            yield Destructive(op, "rename column", column, renamed)


def expands(migration: Migration, removed: Iterable[Destructive]) -> tuple[str, ...]:
    """What the revision adds beside what it removes — the expand half of an expand–contract
    change done in the same step ("table.column" or a table)."""
    gone = {d.what for d in removed}
    for op in migration.ops:  # scratch tables and columns the revision drops again
        if op.kind == "drop_table":
            gone.add(op.table)
        elif op.kind == "drop_column":
            gone.add(f"{op.table}.{op.name}")
    return tuple(sorted(a for a in _added(migration) if a not in gone))
