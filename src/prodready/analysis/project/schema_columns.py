"""Reading SQLAlchemy schema constructs as written: `Column(...)`, `ForeignKey`, constraints,
indexes, and short texts of types and defaults. Shared by models, Core tables and Alembic."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prodready.analysis.names import ImportTable, dotted_name
from prodready.analysis.project.model import Column, Evidence, Relationship, Table

_TEXT_MAX = 120
_MODULE_SEGMENTS = (
    "dialects|postgresql|mysql|sqlite|mssql|oracle|types|sql|schema|sqltypes|expression|orm"
)
_MODULES = frozenset({"sqlalchemy", "sqlmodel", *_MODULE_SEGMENTS.split("|")})
_EMPTY_CALL = re.compile(r"\b([A-Za-z_]\w*)\(\)")
_SCHEMA_ITEMS = frozenset(
    {
        "ForeignKey",
        "Sequence",
        "Identity",
        "Computed",
        "FetchedValue",
        "DefaultClause",
        "CheckConstraint",
        "UniqueConstraint",
    }
)
ENUM_TYPES = frozenset({"Enum", "ENUM"})


def last_name(expr: ast.AST) -> str:
    """The last segment of a called or named thing: `sa.orm.mapped_column` -> "mapped_column"."""
    target = expr.func if isinstance(expr, ast.Call) else expr
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def flag(expr: ast.expr | None) -> bool | None:
    """True / False when written as a literal, else None (unknown)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, bool):
        return expr.value
    return None


def string(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


@dataclass(frozen=True, slots=True)
class Reader:
    """Turns expressions of one file into short texts and evidence."""

    path: str
    imports: ImportTable
    constants: Mapping[str, ast.expr] = field(default_factory=dict)
    prefix: re.Pattern[str] | None = None

    @classmethod
    def of(
        cls, path: str, imports: ImportTable, constants: Mapping[str, ast.expr] | None = None
    ) -> Reader:
        """`constants`: module-level values, so that `Column(NAME, ...)` finds its name."""
        aliases = sorted(
            re.escape(local)
            for local, qualified in imports.bindings.items()
            if qualified.split(".", 1)[0] in ("sqlalchemy", "sqlmodel")
            and qualified.rsplit(".", 1)[-1] in _MODULES
        )
        pattern = rf"\b(?:{'|'.join(aliases)})\.(?:(?:{_MODULE_SEGMENTS})\.)*"
        return cls(path, imports, constants or {}, re.compile(pattern) if aliases else None)

    def literal(self, expr: ast.expr | None) -> str | None:
        """A string literal, or a module-level string constant named here."""
        if isinstance(expr, ast.Name):
            expr = self.constants.get(expr.id)
        return string(expr)

    def evidence(self, node: ast.AST) -> Evidence:
        return Evidence(self.path, getattr(node, "lineno", 0))

    def text(self, expr: ast.AST | None) -> str:
        """The expression as written without SQLAlchemy module prefixes; a plain string (also
        in `text("...")`) without quotes, its whitespace collapsed."""
        if expr is None:
            return ""
        if isinstance(expr, ast.Call) and last_name(expr) == "text" and len(expr.args) == 1:
            expr = expr.args[0]
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return " ".join(expr.value.split())[:_TEXT_MAX]
        try:
            written = ast.unparse(expr)
        except (RecursionError, ValueError):
            return ""
        if self.prefix is not None:
            written = self.prefix.sub("", written)
        return written[:_TEXT_MAX]

    def type_text(self, expr: ast.AST | None) -> str:
        """`sa.String(255)` -> "String(255)", `sa.BigInteger()` -> "BigInteger"."""
        return _EMPTY_CALL.sub(r"\1", self.text(expr))

    def column_ref(self, expr: ast.expr) -> str:
        """A column named in a constraint: "a", `a`, `Model.a` -> "a"; else its text."""
        if isinstance(expr, ast.Attribute):
            return expr.attr
        if isinstance(expr, ast.Name):
            return expr.id
        return self.text(expr)

    def foreign_key(self, call: ast.Call) -> str:
        """`ForeignKey("users.id")` -> "users.id"; `ForeignKey(User.id)` -> "User.id"."""
        target = call.args[0] if call.args else None
        written = self.literal(target)
        if written is not None:
            return written
        dotted = dotted_name(target) if target is not None else None
        return ".".join(dotted.split(".")[-2:]) if dotted else ""


def is_type_expr(expr: ast.expr) -> bool:
    """True for what can be a column type: a name, attribute or call that is not a schema item."""
    if isinstance(expr, ast.Call):
        return last_name(expr) not in _SCHEMA_ITEMS and last_name(expr) != ""
    return isinstance(expr, ast.Name | ast.Attribute) and last_name(expr) not in _SCHEMA_ITEMS


@dataclass(frozen=True, slots=True)
class ColumnCall:
    """The arguments of `Column(...)` / `mapped_column(...)` as written."""

    name: str
    type_node: ast.expr | None
    foreign_keys: tuple[str, ...]
    keywords: tuple[tuple[str, ast.expr], ...]

    def keyword(self, key: str) -> ast.expr | None:
        return next((value for name, value in self.keywords if name == key), None)


def column_call(call: ast.Call, reader: Reader) -> ColumnCall:
    args = list(call.args)
    name = reader.literal(args[0]) if args else None
    if name is not None:
        args = args[1:]
    type_node = args[0] if args and is_type_expr(args[0]) else None
    fks = tuple(
        reader.foreign_key(a)
        for a in args
        if isinstance(a, ast.Call) and last_name(a) == "ForeignKey"
    )
    keywords = tuple((k.arg, k.value) for k in call.keywords if k.arg is not None)
    explicit = reader.literal(next((v for k, v in keywords if k == "name"), None))
    return ColumnCall(explicit or name or "", type_node, tuple(f for f in fks if f), keywords)


def column_from_call(
    call: ast.Call, reader: Reader, attribute: str = "", line_of: ast.AST | None = None
) -> Column:
    """A `Column(...)`: nullable unless `nullable=False` or a primary key."""
    parts = column_call(call, reader)
    primary = flag(parts.keyword("primary_key")) is True
    nullable = flag(parts.keyword("nullable"))
    type_node = parts.type_node or parts.keyword("type_")
    return Column(
        name=parts.name or attribute,
        type=reader.type_text(type_node),
        evidence=reader.evidence(line_of or call),
        nullable=False if primary else nullable is not False,
        primary_key=primary,
        unique=flag(parts.keyword("unique")) is True,
        index=flag(parts.keyword("index")) is True,
        foreign_keys=parts.foreign_keys,
        default=reader.text(parts.keyword("default")),
        server_default=reader.text(parts.keyword("server_default")),
        enum=type_node is not None and last_name(type_node) in ENUM_TYPES,
    )


@dataclass(slots=True)
class TableParts:
    """A table being assembled: columns, then constraints declared apart from them."""

    columns: list[Column] = field(default_factory=list)
    uniques: list[tuple[str, ...]] = field(default_factory=list)
    indexes: list[tuple[str, ...]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)

    def add_column(self, column: Column) -> None:
        if all(existing.name != column.name for existing in self.columns):
            self.columns.append(column)

    def update_column(self, name: str, /, **changes: object) -> None:
        for position, column in enumerate(self.columns):
            if column.name == name:
                self.columns[position] = dataclasses.replace(column, **changes)  # type: ignore[arg-type]

    def add_foreign_keys(self, local: Sequence[str], remote: Sequence[str]) -> None:
        for name, target in zip(local, remote, strict=False):
            column = next((c for c in self.columns if c.name == name), None)
            if column is not None and target not in column.foreign_keys:
                self.update_column(name, foreign_keys=(*column.foreign_keys, target))

    def add_constraint(self, call: ast.Call, reader: Reader) -> bool:
        """Apply a constraint or index call; False when `call` is none of them."""
        kind = last_name(call)
        refs = tuple(reader.column_ref(a) for a in call.args if not isinstance(a, ast.Starred))
        if kind == "UniqueConstraint":
            self.uniques.append(refs)
        elif kind == "Index":
            unique = any(k.arg == "unique" and flag(k.value) for k in call.keywords)
            self.add_index(refs[1:], unique)
        elif kind == "CheckConstraint":
            self.checks.append(reader.text(call.args[0]) if call.args else "")
        elif kind == "PrimaryKeyConstraint":
            for name in refs:
                self.update_column(name, primary_key=True, nullable=False)
        elif kind == "ForeignKeyConstraint" and len(call.args) >= 2:
            self.add_foreign_keys(*(_names(a, reader) for a in call.args[:2]))
        else:
            return False
        return True

    def add_index(self, columns: tuple[str, ...], unique: bool) -> None:
        if columns:
            self.indexes.append(columns)
            if unique:
                self.uniques.append(columns)

    def table(self, name: str, source: str, evidence: Evidence, **extra: object) -> Table:
        return Table(
            name=name,
            source=source,
            evidence=evidence,
            columns=tuple(self.columns),
            unique_constraints=tuple(dict.fromkeys(self.uniques)),
            indexes=tuple(dict.fromkeys(self.indexes)),
            check_constraints=tuple(dict.fromkeys(self.checks)),
            relationships=tuple(self.relationships),
            **extra,  # type: ignore[arg-type]
        )


def _names(expr: ast.expr, reader: Reader) -> tuple[str, ...]:
    if isinstance(expr, ast.List | ast.Tuple):
        return tuple(reader.column_ref(e) for e in expr.elts)
    return (reader.column_ref(expr),)


def table_items(items: Iterable[ast.expr], reader: Reader, parts: TableParts) -> None:
    """The columns and constraints of `Table(name, metadata, *items)` / `op.create_table`."""
    deferred: list[ast.Call] = []
    for item in items:
        if not isinstance(item, ast.Call):
            continue
        if last_name(item) == "Column":
            parts.add_column(column_from_call(item, reader))
        else:
            deferred.append(item)
    for call in deferred:
        parts.add_constraint(call, reader)
