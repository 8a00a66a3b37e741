"""Tables of Django ORM models: classes deriving from `django.db.models.Model` (directly, through
a model of the same file, or — when they declare Django fields — through a project base in
another file), with their fields, `Meta` constraints and indexes.

Django's semantics, as its documentation states them (docs.djangoproject.com/en/stable/ref/
models/fields/ and /ref/models/options/): a field is NOT NULL unless `null=True`; a
`ForeignKey` / `OneToOneField` is the column `<name>_id` and gets an index unless
`db_index=False` (a one-to-one is also unique); a model without a `primary_key=True` field gets
an `id` auto field; the table is `Meta.db_table` or `<app_label>_<model name lower-cased>`,
the app label being the package that holds the models module; `Meta.abstract` models make no
table and give their fields to subclasses; proxy models make none either. Column types are
the field classes as written ("DecimalField(max_digits=10, decimal_places=2)"), so rules
that reason about SQLAlchemy types see Django's own names (Table.source "django").
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.names import ImportTable
from prodready.analysis.project.model import Column, Evidence, FileFacts, Table
from prodready.analysis.project.schema_models import module_statements
from prodready.analysis.source import ParsedFile

_MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
_FIELDS = "django.db.models."
_RELATIONS = frozenset({"ForeignKey", "OneToOneField"})
_SHOWN_OPTIONS = ("max_length", "max_digits", "decimal_places", "choices")


@dataclass(slots=True)
class _Model:
    name: str
    node: ast.ClassDef
    columns: list[Column]
    meta: dict[str, ast.expr]
    abstract: bool


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _true(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def _field_class(call: ast.AST, imports: ImportTable) -> str:
    """ "CharField" for `models.CharField(...)` from django.db.models, else ""."""
    if not isinstance(call, ast.Call):
        return ""
    qualified = imports.qualified_name(call.func) or ""
    if not qualified.startswith(_FIELDS):
        return ""
    name = qualified.rsplit(".", 1)[-1]
    return name if name.endswith("Field") or name in _RELATIONS else ""


def _type_text(kind: str, call: ast.Call) -> str:
    shown = [f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords if k.arg in _SHOWN_OPTIONS]
    return f"{kind}({', '.join(shown)})" if shown else kind


def _target(call: ast.Call, imports: ImportTable) -> str:
    """The referenced model as "<app>_<model>" (a lazy "app.Model" string), "self", or the
    class name as written ("Product", resolved to its table by the schema merge)."""
    written = call.args[0] if call.args else _keyword(call, "to")
    if isinstance(written, ast.Constant) and isinstance(written.value, str):
        label, _, model = written.value.rpartition(".")
        if written.value == "self":
            return "self"
        return f"{label.lower()}_{model.lower()}" if label else model
    if isinstance(written, ast.Name | ast.Attribute):
        qualified = imports.qualified_name(written) or ast.unparse(written)
        return qualified.rsplit(".", 1)[-1]
    return ""


def _column(name: str, call: ast.Call, kind: str, path: str, imports: ImportTable) -> Column:
    evidence = Evidence(path, call.lineno)
    db_column = _keyword(call, "db_column")
    column_name = _text(db_column)
    relation = kind in _RELATIONS
    keys: tuple[str, ...] = ()
    if relation:
        to_field = _keyword(call, "to_field")
        field = _text(to_field) or "id"
        keys = (f"{_target(call, imports)}.{field}",)
    default = _keyword(call, "default")
    automatic = next((k.arg for k in call.keywords if k.arg in ("auto_now", "auto_now_add")), "")
    db_default = _keyword(call, "db_default")
    db_index = _keyword(call, "db_index")
    return Column(
        name=str(column_name or (f"{name}_id" if relation else name)),
        type="" if relation else _type_text(kind, call),
        evidence=evidence,
        nullable=_true(_keyword(call, "null")),
        primary_key=_true(_keyword(call, "primary_key")),
        unique=_true(_keyword(call, "unique")) or kind == "OneToOneField",
        index=_true(db_index) or (relation and not _false(db_index)),
        foreign_keys=keys,
        default=ast.unparse(default) if default is not None else (automatic or ""),
        server_default=ast.unparse(db_default) if db_default is not None else "",
    )


def _text(expr: ast.expr | None) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def _false(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is False


def _meta(node: ast.ClassDef) -> dict[str, ast.expr]:
    meta = next((s for s in node.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    values: dict[str, ast.expr] = {}
    for statement in meta.body if meta is not None else ():
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                values[target.id] = statement.value
    return values


def app_label(module: str) -> str:
    """The app a models module belongs to: the package holding `models.py` (or the
    `models/` package): "shop.orders.models" -> "orders"."""
    parts = module.split(".")
    if "models" in parts[1:]:
        return parts[len(parts) - 1 - parts[::-1].index("models") - 1]
    return parts[-2] if len(parts) > 1 else parts[0]


def _strings(expr: ast.expr | None) -> tuple[str, ...]:
    items = expr.elts if isinstance(expr, ast.List | ast.Tuple) else []
    return tuple(
        i.value.lstrip("-")
        for i in items
        if isinstance(i, ast.Constant) and isinstance(i.value, str)
    )


def _groups(expr: ast.expr | None) -> Iterator[tuple[str, ...]]:
    """`unique_together = ("a", "b")` or `(("a", "b"), ("c", "d"))`."""
    if not isinstance(expr, ast.List | ast.Tuple) or not expr.elts:
        return
    if all(isinstance(e, ast.Constant) for e in expr.elts):
        yield _strings(expr)
        return
    for item in expr.elts:
        if found := _strings(item):
            yield found


def _lookups(text: str) -> str:
    """`Q(status__in=[...])` -> `Q(status in=[...])`: the field a lookup names as a word."""
    return re.sub(r"\b([A-Za-z]\w*?)__(\w+)", r"\1 \2", text)


def _constraints(
    meta: dict[str, ast.expr], columns: dict[str, str]
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[str]]:
    """(unique column tuples, index column tuples, CHECK texts) of a model's Meta."""

    def named(fields: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(columns.get(f, f) for f in fields)

    uniques = [named(g) for g in _groups(meta.get("unique_together"))]
    indexes = [named(g) for g in _groups(meta.get("index_together"))]
    checks: list[str] = []
    written = meta.get("constraints")
    for call in written.elts if isinstance(written, ast.List | ast.Tuple) else []:
        if not isinstance(call, ast.Call):
            continue
        kind = ast.unparse(call.func).rsplit(".", 1)[-1]
        if kind == "UniqueConstraint" and _keyword(call, "condition") is None:
            fields = named(_strings(_keyword(call, "fields")))
            uniques += [fields] if fields else []
        elif kind == "CheckConstraint":
            check = _keyword(call, "check") or _keyword(call, "condition")
            checks += [_lookups(ast.unparse(check))] if check is not None else []
    written = meta.get("indexes")
    for call in written.elts if isinstance(written, ast.List | ast.Tuple) else []:
        fields = named(_strings(_keyword(call, "fields"))) if isinstance(call, ast.Call) else ()
        indexes += [fields] if fields else []
    return uniques, indexes, checks


def _table(model: _Model, app: str, module: str, path: str) -> Table:
    meta = model.meta
    columns = list(model.columns)
    if not any(c.primary_key for c in columns):
        pk = Column("id", "AutoField", Evidence(path, model.node.lineno), False, True)
        columns.insert(0, pk)
    by_field = {c.name.removesuffix("_id"): c.name for c in columns if c.foreign_keys}
    uniques, indexes, checks = _constraints(meta, by_field)
    db_table = meta.get("db_table")
    app = _text(meta.get("app_label")) or app
    name = _text(db_table)
    return Table(
        name=str(name or f"{app}_{model.node.name.lower()}"),
        source="django",
        evidence=Evidence(path, model.node.lineno),
        columns=tuple(columns),
        model=f"{module}.{model.node.name}",
        unique_constraints=tuple(uniques),
        indexes=tuple(indexes),
        check_constraints=tuple(checks),
    )


def _own_table(table: Table, names: dict[str, str]) -> Table:
    """Foreign keys to "self" and to models of this file written as class names."""

    def target(key: str) -> str:
        owner, _, column = key.rpartition(".")
        owner = table.name if owner == "self" else names.get(owner, owner)
        return f"{owner}.{column}"

    columns = tuple(
        dataclasses.replace(c, foreign_keys=tuple(target(k) for k in c.foreign_keys))
        for c in table.columns
    )
    return dataclasses.replace(table, columns=columns)


def _fields(node: ast.ClassDef, path: str, imports: ImportTable) -> list[Column]:
    found: list[Column] = []
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        kind = _field_class(value, imports)
        if kind and isinstance(target, ast.Name) and isinstance(value, ast.Call):
            found.append(_column(target.id, value, kind, path, imports))
    return found


def _parent_link(parent: _Model, path: str, line: int) -> Column:
    """Multi-table inheritance: the child's primary key is a one-to-one to its parent."""
    return Column(
        f"{parent.name.lower()}_ptr_id",
        "",
        Evidence(path, line),
        nullable=False,
        primary_key=True,
        unique=True,
        index=True,
        foreign_keys=(f"{parent.name}.id",),
    )


def extract(parsed: ParsedFile) -> FileFacts:
    source = parsed.source
    imports = parsed.semantic.imports
    empty = FileFacts(path=source.path, module=source.module)
    if not imports.imports_module("django.db"):
        return empty
    app = app_label(source.module)
    models: dict[str, _Model] = {}
    tables: list[Table] = []
    for node in (s for s in module_statements(parsed.tree) if isinstance(s, ast.ClassDef)):
        bases = [imports.qualified_name(b) or ast.unparse(b) for b in node.bases]
        columns = _fields(node, source.path, imports)
        parents = [models[b] for b in bases if b in models]
        if not (set(bases) & _MODEL_BASES or parents or columns):
            continue
        own = _meta(node)
        inherited = next((p.meta for p in parents if p.abstract), {})
        meta = own or {k: v for k, v in inherited.items() if k != "abstract"}
        abstract = _true(own.get("abstract"))
        links = [_parent_link(p, source.path, node.lineno) for p in parents if not p.abstract]
        columns = [*links, *(c for p in parents if p.abstract for c in p.columns), *columns]
        model = _Model(node.name, node, columns, meta, abstract)
        models[node.name] = model
        if not abstract and not _true(meta.get("proxy")):
            tables.append(_table(model, app, source.module, source.path))
    names = {t.model.rsplit(".", 1)[-1]: t.name for t in tables}
    return dataclasses.replace(empty, tables=tuple(_own_table(t, names) for t in tables))
