"""Attributes of a declarative class: `Mapped[...]` with `mapped_column(...)` (types and
nullability inferred as SQLAlchemy 2.0 does), 1.x `Column(...)`, and `relationship(...)`."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import Column, Relationship
from prodready.analysis.project.schema_columns import (
    ENUM_TYPES,
    Reader,
    column_call,
    column_from_call,
    flag,
    last_name,
)

# SQLAlchemy 2.0's default type_annotation_map (sql/sqltypes.py `_type_map`); 2.1 maps float
# to Double.
PYTHON_TYPES: Mapping[str, str] = {
    "int": "Integer",
    "str": "String",
    "float": "Float",
    "bool": "Boolean",
    "bytes": "LargeBinary",
    "decimal.Decimal": "Numeric",
    "datetime.datetime": "DateTime",
    "datetime.date": "Date",
    "datetime.time": "Time",
    "datetime.timedelta": "Interval",
    "uuid.UUID": "Uuid",
}
_MAPPED = frozenset({"Mapped", "WriteOnlyMapped", "DynamicMapped"})
_COLLECTIONS = frozenset({"list", "List", "set", "Set", "Sequence", "frozenset", "FrozenSet"})
_ALIAS_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Scope:
    """What one file tells about names in annotations: its module, classes, enum classes
    (qualified) and module-level `Annotated[...]` aliases."""

    reader: Reader
    module: str
    classes: frozenset[str] = frozenset()
    enums: frozenset[str] = frozenset()
    aliases: Mapping[str, ast.expr] = field(default_factory=dict)

    def name_of(self, expr: ast.expr) -> str:
        """The qualified name of a type: a class of this module, an import, else as written."""
        dotted = dotted_name(expr)
        if dotted is None:
            return self.reader.text(expr)
        if dotted.split(".", 1)[0] in self.classes:
            return f"{self.module}.{dotted}"
        return self.reader.imports.qualified_name(expr) or dotted


def parse_string(expr: ast.expr) -> ast.expr:
    """`"User | None"` -> its expression; anything else as is."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            return ast.parse(expr.value.strip(), mode="eval").body
        except SyntaxError:
            return expr
    return expr


def mapped_inner(annotation: ast.expr | None) -> tuple[str, ast.expr | None]:
    """("Mapped", X) for `Mapped[X]` (also quoted, `WriteOnlyMapped`, `DynamicMapped`),
    else ("", None)."""
    node = parse_string(annotation) if annotation is not None else None
    if isinstance(node, ast.Subscript) and last_name(node.value) in _MAPPED:
        return last_name(node.value), parse_string(node.slice)
    return "", None


def _first(node: ast.Subscript) -> tuple[ast.expr, list[ast.expr]]:
    items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return items[0], items[1:]


def _without_none(node: ast.expr) -> ast.expr | None:
    """X for `X | None`, `None | X`, `Optional[X]`, `Union[X, None]`; None otherwise."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [s for s in (node.left, node.right) if not _is_none(s)]
        return sides[0] if len(sides) == 1 else None
    if isinstance(node, ast.Subscript):
        outer = last_name(node.value)
        if outer == "Optional":
            return _first(node)[0]
        if outer == "Union":
            first, rest = _first(node)
            members = [m for m in (first, *rest) if not _is_none(m)]
            return members[0] if len(members) == 1 and len(rest) == 1 else None
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


@dataclass(frozen=True, slots=True)
class Annotation:
    """A `Mapped[...]` type with Optional and Annotated taken apart."""

    core: ast.expr
    optional: bool
    extras: tuple[ast.Call, ...]


def analyse(inner: ast.expr, scope: Scope) -> Annotation:
    node = parse_string(inner)
    optional = False
    extras: list[ast.Call] = []
    for _ in range(_ALIAS_DEPTH):
        if isinstance(node, ast.Name) and node.id in scope.aliases:
            node = parse_string(scope.aliases[node.id])
            continue
        if isinstance(node, ast.Subscript) and last_name(node.value) == "Annotated":
            node, metadata = _first(node)
            extras += [m for m in metadata if isinstance(m, ast.Call)]
            node = parse_string(node)
            continue
        stripped = _without_none(node)
        if stripped is None:
            break
        optional = True
        node = parse_string(stripped)
    calls = tuple(c for c in extras if last_name(c) == "mapped_column")
    return Annotation(node, optional, calls)


def _annotated_type(core: ast.expr, scope: Scope) -> tuple[str, str, bool]:
    """(column type, python type, is enum) of an annotation's core type."""
    if isinstance(core, ast.Subscript) and last_name(core.value) == "Literal":
        return "Enum", scope.reader.text(core), True
    python = scope.name_of(core)
    if python in PYTHON_TYPES:
        return PYTHON_TYPES[python], python, False
    bare = python.rsplit(".", 1)[-1] if dotted_name(core) else python
    if python in scope.enums:
        return f"Enum({bare})", python, True
    return bare, python, False


def mapped_column(
    call: ast.Call | None, attribute: str, inner: ast.expr | None, line: ast.AST, scope: Scope
) -> Column:
    """A `mapped_column(...)` (None: a bare `Mapped[...]` annotation) with SQLAlchemy 2.0's
    inference: explicit `nullable=` wins, a primary key is NOT NULL, `Mapped[Optional[X]]` /
    `Mapped[X | None]` is NULL, `Mapped[X]` NOT NULL, no annotation NULL."""
    reader = scope.reader
    annotation = analyse(inner, scope) if inner is not None else None
    calls = [*(annotation.extras if annotation else ()), *([call] if call else [])]
    parts = [column_call(c, reader) for c in calls]
    keywords = {k: v for p in parts for k, v in p.keywords}
    type_node = next((p.type_node for p in reversed(parts) if p.type_node is not None), None)
    primary = flag(keywords.get("primary_key")) is True
    explicit = flag(keywords.get("nullable"))
    if primary:
        nullable = False
    elif explicit is not None:
        nullable = explicit
    else:
        nullable = annotation.optional if annotation else True
    foreign_keys = tuple(fk for p in parts for fk in p.foreign_keys)
    column_type, python, enum = "", "", False
    if type_node is not None:
        column_type, enum = reader.type_text(type_node), last_name(type_node) in ENUM_TYPES
    elif annotation is not None and not foreign_keys:
        # With a ForeignKey and no type, SQLAlchemy takes the referenced column's type.
        column_type, python, enum = _annotated_type(annotation.core, scope)
    name = next((p.name for p in reversed(parts) if p.name), attribute)
    return Column(
        name=name,
        type=column_type,
        evidence=reader.evidence(line),
        nullable=nullable,
        primary_key=primary,
        unique=flag(keywords.get("unique")) is True,
        index=flag(keywords.get("index")) is True,
        foreign_keys=foreign_keys,
        default=reader.text(keywords.get("default")),
        server_default=reader.text(keywords.get("server_default")),
        enum=enum,
        python_type=python,
    )


def relationship(
    call: ast.Call, attribute: str, inner: ast.expr | None, line: ast.AST, scope: Scope
) -> Relationship:
    target = ""
    many: bool | None = None
    if inner is not None:
        node = analyse(inner, scope).core
        many = isinstance(node, ast.Subscript) and last_name(node.value) in _COLLECTIONS
        if many and isinstance(node, ast.Subscript):
            node = parse_string(_first(node)[0])
        target = scope.reader.text(node)
    if call.args:
        first = call.args[0]
        if isinstance(first, ast.Lambda):
            first = first.body
        target = scope.reader.text(first)
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    uselist = keywords.get("uselist")
    if isinstance(uselist, ast.Constant) and isinstance(uselist.value, bool):
        many = uselist.value
    elif "secondary" in keywords or "collection_class" in keywords:
        many = True
    lazy = scope.reader.text(keywords.get("lazy")) or "select"
    return Relationship(attribute, target, lazy, scope.reader.evidence(line), many)


@dataclass(slots=True)
class Members:
    columns: list[Column] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)


def _declared(node: ast.FunctionDef) -> tuple[ast.expr | None, ast.expr | None]:
    """(returned value, return annotation) of a `@declared_attr` method, else (None, None)."""
    if not any("declared_attr" in (dotted_name(d) or "") for d in node.decorator_list):
        return None, None
    value = next((s.value for s in node.body if isinstance(s, ast.Return)), None)
    return value, node.returns


def _attributes(
    body: list[ast.stmt],
) -> Iterator[tuple[str, ast.expr | None, ast.expr | None, ast.stmt]]:
    """(name, value, annotation, statement) of each attribute a class body maps."""
    for statement in body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            yield statement.target.id, statement.value, statement.annotation, statement
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                yield target.id, statement.value, None, statement
        elif isinstance(statement, ast.FunctionDef) and not statement.name.startswith("__"):
            value, returns = _declared(statement)
            if value is not None or returns is not None:
                yield statement.name, value, returns, statement


def members(body: list[ast.stmt], scope: Scope) -> Members:
    """The columns and relationships a class body declares itself."""
    found = Members()
    for name, value, annotation, statement in _attributes(body):
        if name.startswith("__"):
            continue
        wrapper, inner = mapped_inner(annotation)
        kind = last_name(value) if isinstance(value, ast.Call) else ""
        if kind == "mapped_column" or (value is None and wrapper == "Mapped"):
            call = value if isinstance(value, ast.Call) else None
            found.columns.append(mapped_column(call, name, inner, statement, scope))
        elif kind == "Column" and isinstance(value, ast.Call):
            found.columns.append(column_from_call(value, scope.reader, name, statement))
        elif kind == "relationship" and isinstance(value, ast.Call):
            found.relationships.append(relationship(value, name, inner, statement, scope))
    return found
