"""Tables of one file: SQLAlchemy declarative classes (1.x `Column`, 2.0 `Mapped[...]`),
mixins and abstract bases, and Core `Table(...)` calls."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import FileFacts, ModelBase, Table
from prodready.analysis.project.schema_columns import (
    Reader,
    TableParts,
    last_name,
    string,
    table_items,
)
from prodready.analysis.project.schema_inherit import resolve
from prodready.analysis.project.schema_mapped import Scope, members
from prodready.analysis.source import ParsedFile

_DECLARATIVE = frozenset({"DeclarativeBase", "DeclarativeBaseNoMeta"})
_ENUM_BASES = frozenset(
    {"enum.Enum", "enum.StrEnum", "enum.IntEnum", "enum.Flag", "enum.IntFlag", "strenum.StrEnum"}
)
_NEUTRAL_BASES = frozenset({"object", "typing.Generic", "typing.Any"})
_NESTED = ("body", "orelse", "handlers", "finalbody")
_PATTERN_DEPTH = 8


def module_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Top-level statements, also inside module-level `if` / `try` / `with` (not in defs)."""
    stack: list[ast.stmt] = list(reversed(tree.body))
    while stack:
        statement = stack.pop()
        yield statement
        if isinstance(statement, ast.If | ast.Try | ast.TryStar | ast.With):
            nested = [s for name in _NESTED for s in getattr(statement, name, [])]
            stack.extend(reversed(nested))


def _pattern(expr: ast.expr, depth: int = 0) -> str | None:
    """A `__tablename__` expression as a pattern: `cls.__name__.lower() + "s"` -> "{lower}s"."""
    if depth > _PATTERN_DEPTH:
        return None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.Attribute) and expr.attr == "__name__":
        return "{name}"
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = _pattern(expr.left, depth + 1), _pattern(expr.right, depth + 1)
        return left + right if left is not None and right is not None else None
    if isinstance(expr, ast.JoinedStr | ast.FormattedValue):
        parts = expr.values if isinstance(expr, ast.JoinedStr) else [expr.value]
        found = [_pattern(p, depth + 1) for p in parts]
        return "".join(f for f in found if f is not None) if None not in found else None
    if isinstance(expr, ast.Call) and last_name(expr) == "lower" and not expr.args:
        inner = (
            _pattern(expr.func.value, depth + 1) if isinstance(expr.func, ast.Attribute) else None
        )
        return "{lower}" if inner == "{name}" else inner
    if isinstance(expr, ast.Call) and any(
        isinstance(n, ast.Attribute) and n.attr == "__name__"
        for a in expr.args
        for n in ast.walk(a)
    ):
        return "{snake}"
    return None


def _tablename(node: ast.ClassDef, values: dict[str, ast.expr]) -> tuple[str | None, str]:
    """(literal name, declared_attr pattern); a literal `None` gives ("", "")."""
    if "__tablename__" in values:
        written = values["__tablename__"]
        return (string(written) if not _is_none(written) else ""), ""
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef) and statement.name == "__tablename__":
            returned = next((s.value for s in statement.body if isinstance(s, ast.Return)), None)
            pattern = _pattern(returned) if returned is not None else None
            if pattern is not None:
                return (pattern, "") if "{" not in pattern else (None, pattern)
    return None, ""


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _class_values(node: ast.ClassDef) -> dict[str, ast.expr]:
    """Class-level `name = value`, and what a `__table_args__` method returns."""
    values: dict[str, ast.expr] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        elif isinstance(statement, ast.FunctionDef) and statement.name == "__table_args__":
            returned = next((s.value for s in statement.body if isinstance(s, ast.Return)), None)
            if returned is not None:
                values.setdefault("__table_args__", returned)
            continue
        else:
            continue
        if isinstance(target, ast.Name):
            values.setdefault(target.id, value)
    return values


def _type_map(values: dict[str, ast.expr], scope: Scope) -> tuple[tuple[str, str], ...]:
    mapping = values.get("type_annotation_map")
    registry = values.get("registry")
    if mapping is None and isinstance(registry, ast.Call):
        mapping = next((k.value for k in registry.keywords if k.arg == "type_annotation_map"), None)
    if not isinstance(mapping, ast.Dict):
        return ()
    pairs = zip(mapping.keys, mapping.values, strict=True)
    return tuple((scope.name_of(k), scope.reader.type_text(v)) for k, v in pairs if k is not None)


@dataclass(slots=True)
class _File:
    """One file's classes being sorted into tables and templates."""

    scope: Scope
    tables: list[Table] = dataclasses.field(default_factory=list)
    templates: list[ModelBase] = dataclasses.field(default_factory=list)
    mapped: set[str] = dataclasses.field(default_factory=set)
    relevant: set[str] = dataclasses.field(default_factory=set)

    def add_class(self, node: ast.ClassDef) -> None:
        scope, reader = self.scope, self.scope.reader
        values = _class_values(node)
        literal, pattern = _tablename(node, values)
        qualname = f"{scope.module}.{node.name}"
        bases = tuple(b for b in (scope.name_of(b) for b in node.bases) if b not in _NEUTRAL_BASES)
        own = members(node.body, scope)
        abstract = any(k == "__abstract__" and _true(v) for k, v in values.items())
        declarative = any(b.rsplit(".", 1)[-1] in _DECLARATIVE for b in bases) or any(
            "as_declarative" in (dotted_name(d) or "") for d in node.decorator_list
        )
        table_call = values.get("__table__")
        in_file = [b for b in bases if b in self.relevant]
        if not (
            literal is not None
            or pattern
            or abstract
            or declarative
            or isinstance(table_call, ast.Call)
            or own.columns
            or own.relationships
            or in_file
        ):
            return
        self.relevant.add(qualname)
        if isinstance(table_call, ast.Call) and last_name(table_call) == "Table":
            table = core_table(table_call, reader, "model")
            if table is not None:
                self.mapped.add(qualname)
                self.tables.append(dataclasses.replace(table, model=qualname, bases=bases))
            return
        if literal and not abstract:
            parts = TableParts(columns=list(own.columns), relationships=list(own.relationships))
            args = values.get("__table_args__")
            for item in args.elts if isinstance(args, ast.Tuple | ast.List) else []:
                if isinstance(item, ast.Call):
                    parts.add_constraint(item, reader)
            self.mapped.add(qualname)
            self.tables.append(
                parts.table(literal, "model", reader.evidence(node), model=qualname, bases=bases)
            )
            return
        kind = "base" if abstract or declarative or pattern or not bases else "pending"
        self.templates.append(
            ModelBase(
                name=qualname,
                kind=kind,
                evidence=reader.evidence(node),
                bases=bases,
                columns=tuple(own.columns),
                relationships=tuple(own.relationships),
                tablename=pattern,
                type_map=_type_map(values, scope),
            )
        )


def _true(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def core_table(call: ast.Call, reader: Reader, source: str = "core") -> Table | None:
    """`Table("name", metadata, Column(...), UniqueConstraint(...), ...)`."""
    name = string(call.args[0]) if call.args else None
    if not name:
        return None
    parts = TableParts()
    table_items(call.args[1:], reader, parts)
    return parts.table(name, source, reader.evidence(call))


def _enums(classes: Sequence[ast.ClassDef], scope: Scope) -> frozenset[str]:
    found: set[str] = set()
    for node in classes:
        if any(scope.name_of(b) in _ENUM_BASES | found for b in node.bases):
            found.add(f"{scope.module}.{node.name}")
    return frozenset(found)


def _aliases(statements: Sequence[ast.stmt]) -> dict[str, ast.expr]:
    """Module-level `name = Annotated[...]` (also `name: TypeAlias = ...`)."""
    aliases: dict[str, ast.expr] = {}
    for statement in statements:
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        target = statement.targets[0] if isinstance(statement, ast.Assign) else None
        if isinstance(statement, ast.AnnAssign):
            target = statement.target
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Subscript)
            and last_name(value.value) == "Annotated"
        ):
            aliases[target.id] = value
    return aliases


def _standalone_indexes(statements: Sequence[ast.stmt], reader: Reader) -> dict[str, TableParts]:
    """Module-level `Index("ix", Model.col, unique=True)`, by the model's class name."""
    found: dict[str, TableParts] = {}
    for statement in statements:
        value = statement.value if isinstance(statement, ast.Assign | ast.Expr) else None
        if not (isinstance(value, ast.Call) and last_name(value) == "Index"):
            continue
        owner = next(
            (
                a.value.id
                for a in value.args[1:]
                if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name)
            ),
            None,
        )
        if owner is not None:
            found.setdefault(owner, TableParts()).add_constraint(value, reader)
    return found


def _finish(table: Table, extra: dict[str, TableParts], classes: dict[str, str]) -> Table:
    """Standalone indexes added; `ForeignKey(Model.id)` turned into "table.id"."""
    parts = extra.get(table.model.rsplit(".", 1)[-1]) if table.model else None
    columns = tuple(
        dataclasses.replace(c, foreign_keys=tuple(_target(f, classes) for f in c.foreign_keys))
        for c in table.columns
    )
    if parts is None:
        return dataclasses.replace(table, columns=columns)
    return dataclasses.replace(
        table,
        columns=columns,
        indexes=tuple(dict.fromkeys((*table.indexes, *parts.indexes))),
        unique_constraints=tuple(dict.fromkeys((*table.unique_constraints, *parts.uniques))),
    )


def _target(foreign_key: str, classes: dict[str, str]) -> str:
    owner, _, column = foreign_key.rpartition(".")
    return f"{classes[owner]}.{column}" if owner in classes else foreign_key


def extract(parsed: ParsedFile) -> FileFacts:
    """The tables a file declares, and the bases that give columns to models elsewhere."""
    source = parsed.source
    statements = list(module_statements(parsed.tree))
    classes = [s for s in statements if isinstance(s, ast.ClassDef)]
    reader = Reader.of(source.path, parsed.semantic.imports, parsed.semantic.module_values)
    names = frozenset(c.name for c in classes)
    scope = Scope(reader, source.module, names, frozenset(), _aliases(statements))
    scope = dataclasses.replace(scope, enums=_enums(classes, scope))
    found = _File(scope)
    for node in classes:
        found.add_class(node)
    for statement in statements:
        value = (
            statement.value
            if isinstance(statement, ast.Assign | ast.AnnAssign | ast.Expr)
            else None
        )
        if isinstance(value, ast.Call) and last_name(value) == "Table" and _is_table(value, scope):
            table = core_table(value, reader)
            if table is not None:
                found.tables.append(table)
    tables, templates = resolve(found.tables, found.templates, scope.enums)
    by_class = {t.model.rsplit(".", 1)[-1]: t.name for t in tables if t.model}
    extra = _standalone_indexes(statements, reader)
    finished = tuple(_finish(t, extra, by_class) for t in tables)
    return FileFacts(path=source.path, module=source.module, tables=finished, model_bases=templates)


def _is_table(call: ast.Call, scope: Scope) -> bool:
    """A Core `Table(...)`: SQLAlchemy's (or an unresolved `Table`) with a literal name."""
    qualified = scope.reader.imports.qualified_name(call.func)
    from_sqlalchemy = qualified is None or qualified.split(".", 1)[0] in ("sqlalchemy", "sqlmodel")
    return from_sqlalchemy and string(call.args[0] if call.args else None) is not None
