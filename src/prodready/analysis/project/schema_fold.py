"""Alembic migrations in chain order, and the tables they leave once applied one by one."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from prodready.analysis.project.model import Evidence, Migration, MigrationOp, Table
from prodready.analysis.project.schema_columns import TableParts


def chain_order(migrations: Iterable[Migration]) -> tuple[Migration, ...]:
    """Parents before children (`down_revision`); ties, broken chains and duplicate revisions
    in path order; revisions caught in a cycle last, in path order."""
    ordered = sorted(migrations, key=lambda m: (m.path, m.revision))
    by_revision: dict[str, int] = {}
    for position, migration in enumerate(ordered):
        by_revision.setdefault(migration.revision, position)
    children: dict[int, list[int]] = {}
    waiting = [0] * len(ordered)
    for position, migration in enumerate(ordered):
        parents = {by_revision[r] for r in migration.down_revisions if r in by_revision}
        parents.discard(position)
        waiting[position] = len(parents)
        for parent in parents:
            children.setdefault(parent, []).append(position)
    ready = [p for p, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    result: list[int] = []
    while ready:
        position = heapq.heappop(ready)
        result.append(position)
        for child in children.get(position, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, child)
    done = set(result)
    result += [p for p in range(len(ordered)) if p not in done]
    return tuple(ordered[p] for p in result)


@dataclass(slots=True)
class _Building:
    evidence: Evidence
    parts: TableParts
    named: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def drop_named(self, name: str) -> None:
        """Forget the index or unique constraint `name` (kind "index", "unique index" or
        "unique")."""
        kind, columns = self.named.pop(name, ("", ()))
        if kind in ("index", "unique index") and columns in self.parts.indexes:
            self.parts.indexes.remove(columns)
        if kind in ("unique index", "unique") and columns in self.parts.uniques:
            self.parts.uniques.remove(columns)


def _created(op: MigrationOp) -> _Building:
    table = op.created or Table(op.table, "migration", op.evidence)
    parts = TableParts(
        columns=list(table.columns),
        uniques=list(table.unique_constraints),
        indexes=list(table.indexes),
        checks=list(table.check_constraints),
    )
    return _Building(op.evidence, parts)


def _alter(building: _Building, op: MigrationOp) -> None:
    changes: dict[str, object] = {}
    nullable = op.option("nullable")
    if nullable in ("True", "False"):
        changes["nullable"] = nullable == "True"
    if op.option("type_"):
        changes["type"] = op.option("type_")
    default = op.option("server_default")
    if default is not None:
        changes["server_default"] = "" if default in ("None", "False") else default
    renamed = op.option("new_column_name")
    if renamed:
        changes["name"] = renamed
    building.parts.update_column(op.name, **changes)


def _apply(tables: dict[str, _Building], op: MigrationOp) -> bool:
    """Apply `op`; False when it acts on a table no earlier migration created."""
    kind = op.kind
    if kind == "create_table":
        tables[op.table] = _created(op)
        return True
    if kind == "rename_table" and op.table in tables and op.name:
        tables[op.name] = tables.pop(op.table)
        return True
    building = tables.get(op.table)
    if building is None:
        return not op.table or kind == "execute"
    parts = building.parts
    if kind == "drop_table":
        del tables[op.table]
    elif kind == "add_column" and op.column is not None:
        parts.add_column(op.column)
    elif kind == "drop_column":
        parts.columns = [c for c in parts.columns if c.name != op.name]
    elif kind == "alter_column":
        _alter(building, op)
    elif kind == "create_index":
        unique = op.option("unique") == "True"
        parts.add_index(op.columns, unique)
        building.named[op.name] = ("unique index" if unique else "index", op.columns)
    elif kind == "create_unique_constraint":
        parts.uniques.append(op.columns)
        building.named[op.name] = ("unique", op.columns)
    elif kind in ("drop_index", "drop_constraint"):
        building.drop_named(op.name)
    elif kind == "create_foreign_key":
        remote = tuple((op.option("remote_cols") or "").split(", "))
        referent = op.option("referent_table") or ""
        parts.add_foreign_keys(op.columns, [f"{referent}.{r}" for r in remote])
    elif kind == "create_check_constraint":
        parts.checks.append(op.option("condition") or "")
    elif kind == "create_primary_key":
        for name in op.columns:
            parts.update_column(name, primary_key=True, nullable=False)
    return True


@dataclass(frozen=True, slots=True)
class Folded:
    """The tables once every migration ran, in order of creation, and the first operation on
    each table that no earlier migration created (the migrations start from a schema made
    elsewhere)."""

    tables: tuple[Table, ...]
    assumed: tuple[MigrationOp, ...]


def fold(migrations: Sequence[Migration], models: Sequence[Table] = ()) -> Folded:
    """Apply the migrations in order; a `metadata.create_all()` in a migration creates the
    `models` as they are declared."""
    tables: dict[str, _Building] = {}
    assumed: dict[str, MigrationOp] = {}
    for migration in migrations:
        for op in migration.ops:
            if op.kind == "create_all":
                for model in models:
                    if model.name not in tables:
                        tables[model.name] = _created(dataclasses.replace(op, created=model))
            elif not _apply(tables, op):
                assumed.setdefault(op.table, op)
    folded = tuple(b.parts.table(name, "migration", b.evidence) for name, b in tables.items())
    return Folded(folded, tuple(assumed.values()))


def lineages(migrations: Iterable[Migration]) -> tuple[tuple[Migration, ...], ...]:
    """Migrations split into independent chains (revisions linked by `down_revision`, e.g.
    two script locations that never meet), each in chain order, ordered by their first path."""
    ordered = sorted(migrations, key=lambda m: (m.path, m.revision))
    parent: dict[str, str] = {}

    def root(revision: str) -> str:
        while parent.setdefault(revision, revision) != revision:
            parent[revision] = parent[parent[revision]]
            revision = parent[revision]
        return revision

    for migration in ordered:
        for down in migration.down_revisions:
            parent[root(down)] = root(migration.revision)
    groups: dict[str, list[Migration]] = {}
    for migration in ordered:
        groups.setdefault(root(migration.revision), []).append(migration)
    return tuple(chain_order(group) for group in groups.values())


def fold_lineages(groups: Sequence[Sequence[Migration]], models: Sequence[Table] = ()) -> Folded:
    """Each chain folded on its own; a table two chains create is taken from the first; a
    table is assumed only when no chain creates it."""
    tables: dict[str, Table] = {}
    assumed: dict[str, MigrationOp] = {}
    for group in groups:
        folded = fold(group, models)
        for table in folded.tables:
            tables.setdefault(table.name, table)
        for op in folded.assumed:
            assumed.setdefault(op.table, op)
    unknown = tuple(op for name, op in assumed.items() if name not in tables)
    return Folded(tuple(tables.values()), unknown)
