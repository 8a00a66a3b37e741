"""Inheritance between declarative classes: columns of mixins, abstract models and the
declarative base go to the models below them; `declared_attr` table names; single-table
inheritance; `type_annotation_map`. Used on one file's classes and again on the project's."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from prodready.analysis.project.model import Column, ModelBase, Relationship, Table
from prodready.analysis.project.schema_columns import ENUM_TYPES

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def table_name(pattern: str, class_name: str) -> str:
    """A `declared_attr` table name pattern applied to a class name."""
    snake = _CAMEL.sub("_", class_name).lower()
    return (
        pattern.replace("{name}", class_name)
        .replace("{lower}", class_name.lower())
        .replace("{snake}", snake)
    )


def _bare(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _by_bare(names: Sequence[str]) -> dict[str, list[str]]:
    """Bare class name -> the qualified names of the classes that have it."""
    found: dict[str, list[str]] = {}
    for name in names:
        found.setdefault(_bare(name), []).append(name)
    return found


@dataclass(slots=True)
class _Classes:
    """Classes by qualified name: templates, and mapped classes with their table. A base is
    looked up by qualified name; else, written bare, by the only class with that name; else,
    imported from a package that re-exports it (`from app.models import Base` for the class in
    `app/models/base.py`), by the only class of that name inside the package."""

    templates: dict[str, ModelBase]
    mapped: dict[str, str]
    unsettled: set[str] = field(default_factory=set)
    bare: dict[str, list[str]] = field(default_factory=dict)

    def find(self, base: str) -> str:
        if base in self.templates or base in self.mapped:
            return base
        package, _, name = base.rpartition(".")
        candidates = self.bare.get(name, [])
        if package:
            candidates = [c for c in candidates if c.startswith(package + ".")]
        return candidates[0] if len(candidates) == 1 else ""

    def chain(self, bases: Sequence[str]) -> tuple[list[ModelBase], str, bool]:
        """The templates above a class in method-resolution order (approximately), the table
        of the first mapped class met (its columns stay in that table), and whether a class
        still undecided stands in the way."""
        found: list[ModelBase] = []
        mapped = ""
        blocked = False
        seen: set[str] = set()
        stack = list(reversed(bases))
        while stack:
            name = self.find(stack.pop())
            if not name or name in seen:
                continue
            seen.add(name)
            if name in self.mapped:
                mapped = mapped or self.mapped[name]
                continue
            blocked = blocked or name in self.unsettled
            template = self.templates[name]
            found.append(template)
            stack.extend(reversed(template.bases))
        return found, mapped, blocked


def _typed(column: Column, type_map: dict[str, str], enums: frozenset[str]) -> Column:
    python = column.python_type
    if not python:
        return column
    if python in type_map:
        written = type_map[python]
        enum = written.split("(", 1)[0] in ENUM_TYPES
        return dataclasses.replace(column, type=written, enum=enum)
    if python in enums and not column.enum:
        return dataclasses.replace(column, type=f"Enum({_bare(python)})", enum=True)
    return column


def _inherit(
    columns: Sequence[Column],
    relationships: Sequence[Relationship],
    chain: Sequence[ModelBase],
    enums: frozenset[str],
) -> tuple[tuple[Column, ...], tuple[Relationship, ...]]:
    """Own columns first, then those of the templates in chain order (as SQLAlchemy orders
    them); types from the nearest `type_annotation_map`, enum classes as `Enum`."""
    type_map: dict[str, str] = {}
    for template in chain:
        for python, written in template.type_map:
            type_map.setdefault(python, written)
    merged = {c.name: c for c in columns}
    for template in chain:
        for column in template.columns:
            merged.setdefault(column.name, column)
    names = {r.name for r in relationships}
    extra = [r for t in chain for r in t.relationships if r.name not in names]
    typed = tuple(_typed(c, type_map, enums) for c in merged.values())
    return typed, (*relationships, *dict((r.name, r) for r in extra).values())


def _settle(
    template: ModelBase, classes: _Classes, result: dict[str, Table], enums: frozenset[str]
) -> bool | None:
    """Decide a pending class: it adds its columns to the table of a mapped base (single-table
    inheritance), gets a table named by a base's `declared_attr` (True), or stays a template
    (False); None while a base is undecided."""
    chain, mapped, blocked = classes.chain(template.bases)
    if blocked:
        return None
    columns, relationships = _inherit(template.columns, template.relationships, chain, enums)
    pattern = next((t.tablename for t in chain if t.tablename), "")
    if mapped and mapped in result:
        parent = result[mapped]
        own = {c.name for c in parent.columns}
        extra = tuple(c for c in columns if c.name not in own)
        result[mapped] = dataclasses.replace(parent, columns=(*parent.columns, *extra))
        classes.mapped[template.name] = mapped
        return True
    if not pattern or mapped:
        return False
    name = table_name(pattern, _bare(template.name))
    if name not in result:
        result[name] = Table(
            name=name,
            source="model",
            evidence=template.evidence,
            columns=columns,
            model=template.name,
            relationships=relationships,
            bases=template.bases,
        )
    classes.mapped[template.name] = name
    return True


def resolve(
    tables: Sequence[Table], templates: Sequence[ModelBase], enums: frozenset[str] = frozenset()
) -> tuple[tuple[Table, ...], tuple[ModelBase, ...]]:
    """Tables with what their bases give them, plus the tables of pending classes that their
    bases name; the templates that stay (bases, and pending classes not resolved)."""
    mapped = {t.model: t.name for t in tables if t.model}
    classes = _Classes({t.name: t for t in templates if t.name not in mapped}, mapped)
    classes.unsettled = {t.name for t in templates if t.kind == "pending"}
    classes.bare = _by_bare([*classes.templates, *mapped])
    result: dict[str, Table] = {}
    for table in tables:
        chain, _, _ = classes.chain(table.bases)
        columns, relationships = _inherit(table.columns, table.relationships, chain, enums)
        updated = dataclasses.replace(table, columns=columns, relationships=relationships)
        result.setdefault(table.name, updated)
    pending = [t for t in templates if t.name in classes.unsettled]
    while pending:
        waiting: list[ModelBase] = []
        for template in pending:
            settled = _settle(template, classes, result, enums)
            if settled is None:
                waiting.append(template)
                continue
            classes.unsettled.discard(template.name)
            if settled:
                del classes.templates[template.name]
        if len(waiting) == len(pending):
            break
        pending = waiting
    remaining = tuple(t for t in templates if t.name in classes.templates)
    return tuple(sorted(result.values(), key=lambda t: t.evidence)), remaining
