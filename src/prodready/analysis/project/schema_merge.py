"""The project's database schema from every file's facts: model and Core tables (with what
their bases in other files give them), Alembic migrations folded in chain order for tables no
model declares, and the differences between the two."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from prodready.analysis.project.model import (
    ClassInfo,
    Column,
    FileFacts,
    Schema,
    SchemaDifference,
    Table,
)
from prodready.analysis.project.schema_fold import fold_lineages, lineages
from prodready.analysis.project.schema_inherit import resolve

_ENUM_BASES = frozenset(
    {"enum.Enum", "enum.StrEnum", "enum.IntEnum", "enum.Flag", "enum.IntFlag", "strenum.StrEnum"}
)


def enum_classes(classes: Iterable[ClassInfo]) -> frozenset[str]:
    """Qualified names of the project's `enum.Enum` subclasses, through project bases too."""
    pending = list(classes)
    found: set[str] = set()
    changed = True
    while changed and pending:
        changed = False
        rest: list[ClassInfo] = []
        for info in pending:
            if any(b in _ENUM_BASES or b in found for b in info.bases):
                found.add(info.name)
                changed = True
            else:
                rest.append(info)
        pending = rest
    return frozenset(found)


def _foreign_keys(tables: Sequence[Table]) -> tuple[Table, ...]:
    """`ForeignKey(Model.id)` written in another file than the model -> "table.id"."""
    names = {t.name for t in tables}
    classes: dict[str, str] = {}
    for table in tables:
        if table.model:
            classes.setdefault(table.model.rsplit(".", 1)[-1], table.name)

    def target(written: str) -> str:
        owner, _, column = written.rpartition(".")
        if owner in names or owner not in classes:
            return written
        return f"{classes[owner]}.{column}"

    return tuple(
        dataclasses.replace(
            table,
            columns=tuple(
                dataclasses.replace(c, foreign_keys=tuple(target(f) for f in c.foreign_keys))
                for c in table.columns
            ),
        )
        for table in tables
    )


def _referenced_types(tables: Sequence[Table]) -> tuple[Table, ...]:
    """A foreign-key column written without a type takes the referenced column's type, as
    SQLAlchemy does (`mapped_column(ForeignKey("users.id"))`)."""
    types = {f"{t.name}.{c.name}": c.type for t in tables for c in t.columns if c.type}

    def typed(column: Column) -> Column:
        if column.type or len(column.foreign_keys) != 1:
            return column
        return dataclasses.replace(column, type=types.get(column.foreign_keys[0], ""))

    return tuple(dataclasses.replace(t, columns=tuple(typed(c) for c in t.columns)) for t in tables)


def _with_migration_indexes(model: Table, migrated: Table) -> Table:
    """Indexes and unique constraints the migrations create exist in the database."""
    columns = {c.name for c in model.columns}

    def known(found: tuple[str, ...]) -> bool:
        return all(name in columns for name in found)

    return dataclasses.replace(
        model,
        indexes=tuple(dict.fromkeys((*model.indexes, *filter(known, migrated.indexes)))),
        unique_constraints=tuple(
            dict.fromkeys((*model.unique_constraints, *filter(known, migrated.unique_constraints)))
        ),
    )


def _column_differences(model: Table, migrated: Table) -> list[SchemaDifference]:
    found: list[SchemaDifference] = []
    name = model.name
    for column in model.columns:
        other = migrated.column(column.name)
        if other is None:
            message = f"column `{name}.{column.name}` is in the model but no migration adds it"
            found.append(SchemaDifference(name, message, column.evidence))
        elif other.nullable != column.nullable:
            model_says = "nullable" if column.nullable else "NOT NULL"
            migration_says = "nullable" if other.nullable else "NOT NULL"
            message = (
                f"column `{name}.{column.name}` is {model_says} in the model but "
                f"{migration_says} after the migrations ({other.evidence})"
            )
            found.append(SchemaDifference(name, message, column.evidence))
    for column in migrated.columns:
        if model.column(column.name) is None:
            message = f"column `{name}.{column.name}` is added by migrations but not in the model"
            found.append(SchemaDifference(name, message, column.evidence))
    return found


def build_schema(facts: Sequence[FileFacts]) -> Schema:
    """Model and Core tables win; tables only migrations create are folded from them. Django
    models are kept apart from Alembic's migrations: Django's own migrations create them."""
    ordered = sorted(facts, key=lambda f: f.path)
    enums = enum_classes(c for f in ordered for c in f.classes)
    django = [t for f in ordered for t in f.tables if t.source == "django"]
    resolved, _ = resolve(
        [t for f in ordered for t in f.tables if t.source != "django"],
        [b for f in ordered for b in f.model_bases],
        enums,
    )
    every = _referenced_types(_foreign_keys([*resolved, *django]))
    models = [t for t in every if t.source != "django"]
    groups = lineages(m for f in ordered for m in f.migrations)
    migrations = tuple(m for group in groups for m in group)
    folded = fold_lineages(groups, models)
    migrated = {t.name: t for t in folded.tables}
    tables: list[Table] = []
    differences = [
        SchemaDifference(
            op.table,
            f"table `{op.table}` is changed by migrations but no migration creates it: they "
            "start from a schema made elsewhere (e.g. `metadata.create_all()`)",
            op.evidence,
        )
        for op in folded.assumed
    ]
    for table in models:
        other = migrated.get(table.name)
        if other is None:
            tables.append(table)
            if migrated and not folded.assumed:
                message = f"table `{table.name}` is declared by a model but no migration creates it"
                differences.append(SchemaDifference(table.name, message, table.evidence))
            continue
        tables.append(_with_migration_indexes(table, other))
        differences += _column_differences(table, other)
    declared = {t.name for t in models}
    for name, table in migrated.items():
        if name in declared:
            continue
        tables.append(table)
        if models:
            message = f"table `{name}` is created by migrations but no model declares it"
            differences.append(SchemaDifference(name, message, table.evidence))
    tables += [t for t in every if t.source == "django"]
    return Schema(tuple(tables), tuple(differences), migrations)
