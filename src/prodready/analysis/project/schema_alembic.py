"""Alembic migrations: a revision, its parents, and the operations of `upgrade()` in order."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import FileFacts, Migration, MigrationOp
from prodready.analysis.project.schema_columns import (
    Reader,
    TableParts,
    column_from_call,
    last_name,
    string,
    table_items,
)
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_subtree

# Positional parameters of `op.<name>(...)`, as Alembic names them (alembic/op.pyi).
_PARAMS: Mapping[str, tuple[str, ...]] = {
    "create_table": ("table_name",),
    "add_column": ("table_name", "column"),
    "drop_column": ("table_name", "column_name"),
    "alter_column": ("table_name", "column_name"),
    "create_index": ("index_name", "table_name", "columns"),
    "drop_index": ("index_name", "table_name"),
    "create_unique_constraint": ("constraint_name", "table_name", "columns"),
    "create_foreign_key": (
        "constraint_name",
        "source_table",
        "referent_table",
        "local_cols",
        "remote_cols",
    ),
    "create_check_constraint": ("constraint_name", "table_name", "condition"),
    "create_primary_key": ("constraint_name", "table_name", "columns"),
    "drop_constraint": ("constraint_name", "table_name", "type_"),
    "drop_table": ("table_name",),
    "rename_table": ("old_table_name", "new_table_name"),
    "execute": ("sqltext",),
}
_TABLE = frozenset({"table_name", "source_table", "old_table_name"})
_NAME = ("column_name", "index_name", "constraint_name", "new_table_name")
_COLUMNS = ("columns", "local_cols")
_UNROLL_MAX = 64
_CONDITIONAL = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.TryStar, ast.Match)


@dataclass(frozen=True, slots=True)
class _Block:
    """The batch tables in scope (`batch_op` -> table), the context code runs in, and the
    values of loop variables while a loop over literal items is read once per item."""

    batches: Mapping[str, str]
    context: tuple[str, ...]
    env: Mapping[str, ast.expr] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Reader:
    """Reads one migration; `assigned` holds what `upgrade()` assigned so far, in order."""

    parsed: ParsedFile
    text: Reader
    assigned: dict[str, ast.expr] = field(default_factory=dict)

    def value(self, expr: ast.expr, env: Mapping[str, ast.expr]) -> ast.expr:
        """What a name stands for: a loop variable's item, a local, a module-level value."""
        if not isinstance(expr, ast.Name):
            return expr
        found = env.get(expr.id) or self.assigned.get(expr.id)
        return found or self.parsed.semantic.module_value(expr.id) or expr

    def call(self, expr: ast.expr, env: Mapping[str, ast.expr]) -> ast.expr:
        """A call with the names among its arguments replaced by what they stand for."""
        expr = self.value(expr, env)
        if not isinstance(expr, ast.Call):
            return expr
        keywords = [ast.keyword(k.arg, self.value(k.value, env)) for k in expr.keywords]
        args = [self.value(a, env) for a in expr.args]
        return ast.copy_location(ast.Call(expr.func, args, keywords), expr)

    def literal(self, expr: ast.expr | None, env: Mapping[str, ast.expr] | None = None) -> str:
        """A string literal, a module-level string constant, `op.f("name")`, an f-string of
        loop variables (`f"ix_{table}"`)."""
        if isinstance(expr, ast.Call) and last_name(expr) == "f" and expr.args:
            expr = expr.args[0]
        if isinstance(expr, ast.JoinedStr) and env:
            parts = [
                self.literal(self.value(p.value, env))
                if isinstance(p, ast.FormattedValue)
                else self.literal(p)
                for p in expr.values
            ]
            return "".join(parts) if all(parts) else ""
        return self.text.literal(expr) or ""

    def names(self, expr: ast.expr | None, env: Mapping[str, ast.expr]) -> tuple[str, ...]:
        """Column names of a list (`["a", column]`), its items' text when not literal."""
        if expr is None:
            return ()
        items = expr.elts if isinstance(expr, ast.List | ast.Tuple) else [expr]
        values = [self.value(item, env) for item in items]
        return tuple(self.literal(v) or self.text.text(v) for v in values)

    def is_op(self, expr: ast.expr) -> bool:
        qualified = self.parsed.semantic.imports.qualified_name(expr)
        return qualified == "alembic.op" or (qualified is None and dotted_name(expr) == "op")


def _with_block(statement: ast.With | ast.AsyncWith, block: _Block, reader: _Reader) -> _Block:
    batches = dict(block.batches)
    context = block.context
    for item in statement.items:
        call = item.context_expr
        if not isinstance(call, ast.Call):
            continue
        if last_name(call) == "batch_alter_table" and isinstance(item.optional_vars, ast.Name):
            named = next((k.value for k in call.keywords if k.arg == "table_name"), None)
            table = reader.literal(reader.value(call.args[0], block.env) if call.args else named)
            batches[item.optional_vars.id] = table
        elif last_name(call) == "autocommit_block":
            context = (*context, "autocommit_block")
    return _Block(batches, context, block.env)


def _bind(target: ast.expr, item: ast.expr, env: dict[str, ast.expr]) -> bool:
    if isinstance(target, ast.Name):
        env[target.id] = item
        return True
    if not (isinstance(target, ast.Tuple) and isinstance(item, ast.Tuple | ast.List)):
        return False
    if len(target.elts) != len(item.elts):
        return False
    return all(_bind(t, i, env) for t, i in zip(target.elts, item.elts, strict=True))


def _unrolled(statement: ast.For, block: _Block, reader: _Reader) -> list[_Block]:
    """One block per item of `for x in <literal tuple or list>` (not nested loops)."""
    if block.env:
        return []
    items = reader.value(statement.iter, block.env)
    if not isinstance(items, ast.Tuple | ast.List) or len(items.elts) > _UNROLL_MAX:
        return []
    blocks: list[_Block] = []
    for item in items.elts:
        env: dict[str, ast.expr] = {}
        if not _bind(statement.target, item, env):
            return []
        blocks.append(_Block(block.batches, block.context, env))
    return blocks


def _nested(statement: ast.stmt) -> list[ast.stmt]:
    """The statements under a compound statement, in source order."""
    found: list[ast.stmt] = list(getattr(statement, "body", []))
    for handler in getattr(statement, "handlers", []):
        found += handler.body
    for case in getattr(statement, "cases", []):
        found += case.body
    found += getattr(statement, "orelse", []) + getattr(statement, "finalbody", [])
    return found


def _calls(function: ast.FunctionDef, reader: _Reader) -> Iterator[tuple[ast.Call, _Block]]:
    """Every call of `upgrade()` in source order, with the block it runs in."""
    stack: list[tuple[Iterator[ast.stmt], _Block]] = [(iter(function.body), _Block({}, ()))]
    while stack:
        statements, block = stack[-1]
        statement = next(statements, None)
        if statement is None:
            stack.pop()
        elif isinstance(statement, ast.With | ast.AsyncWith):
            for item in statement.items:
                yield from _calls_in(item.context_expr, block)
            stack.append((iter(statement.body), _with_block(statement, block, reader)))
        elif isinstance(statement, ast.For) and (unrolled := _unrolled(statement, block, reader)):
            stack += [(iter(statement.body), b) for b in reversed(unrolled)]
        elif isinstance(statement, _CONDITIONAL):
            context = block.context
            if "conditional" not in context:
                context = (*context, "conditional")
            stack.append((iter(_nested(statement)), _Block(block.batches, context, block.env)))
        elif not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _calls_in(statement, block)
            if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    if isinstance(target, ast.Name):
                        reader.assigned[target.id] = statement.value


def _calls_in(node: ast.AST, block: _Block) -> Iterator[tuple[ast.Call, _Block]]:
    for inner in iter_subtree(node, same_scope=True):
        if isinstance(inner, ast.Call):
            yield inner, block


def _arguments(
    call: ast.Call, params: tuple[str, ...], block: _Block, reader: _Reader
) -> tuple[dict[str, ast.expr], list[ast.expr]]:
    """Arguments by Alembic's parameter names (names replaced by the values they stand for),
    and the positional ones beyond them."""
    found = dict(zip(params, call.args, strict=False))
    found.update((k.arg, k.value) for k in call.keywords if k.arg is not None)
    values = {key: reader.value(value, block.env) for key, value in found.items()}
    return values, list(call.args[len(params) :])


def _operation(call: ast.Call, block: _Block, reader: _Reader) -> MigrationOp | None:
    kind = last_name(call)
    owner = call.func.value if isinstance(call.func, ast.Attribute) else None
    if kind == "create_all" and owner is not None:
        # `Base.metadata.create_all(bind)`: every model table as the models are today.
        return MigrationOp(kind, "", reader.text.evidence(call), context=block.context)
    if kind not in _PARAMS or owner is None:
        return None
    params = _PARAMS[kind]
    context = block.context
    table = ""
    if isinstance(owner, ast.Name) and owner.id in block.batches:
        params = tuple(p for p in params if p not in _TABLE)
        table = block.batches[owner.id]
        context = ("batch", *context)
    elif not reader.is_op(owner):
        return None
    args, rest = _arguments(call, params, block, reader)
    table = table or next((reader.literal(args.get(p)) for p in _TABLE if p in args), "")
    name = next((reader.literal(args[p], block.env) for p in _NAME if p in args), "")
    columns = next((reader.names(args[p], block.env) for p in _COLUMNS if p in args), ())
    column = None
    added = reader.call(args["column"], block.env) if "column" in args else None
    if isinstance(added, ast.Call) and last_name(added) == "Column":
        column = column_from_call(added, reader.text)
        name = column.name
    created = None
    if kind == "create_table" and table:
        parts = TableParts()
        table_items((reader.call(item, block.env) for item in rest), reader.text, parts)
        created = parts.table(table, "migration", reader.text.evidence(call))
    skip = {*_TABLE, *_NAME, *_COLUMNS, "column"}
    options = tuple(
        (key, _option(value, block, reader)) for key, value in args.items() if key not in skip
    )
    return MigrationOp(
        kind=kind,
        table=table,
        evidence=reader.text.evidence(call),
        name=name,
        columns=columns,
        column=column,
        created=created,
        options=options,
        context=context,
    )


def _option(expr: ast.expr, block: _Block, reader: _Reader) -> str:
    if isinstance(expr, ast.List | ast.Tuple):
        return ", ".join(reader.names(expr, block.env))
    return reader.text.type_text(expr) if isinstance(expr, ast.Call) else reader.text.text(expr)


def _revisions(expr: ast.expr | None) -> tuple[str, ...]:
    if isinstance(expr, ast.Tuple | ast.List):
        return tuple(s for s in (string(e) for e in expr.elts) if s)
    written = string(expr)
    return (written,) if written else ()


def extract(parsed: ParsedFile) -> FileFacts:
    """The migration a file holds: a module with `upgrade()` and a `revision` global."""
    source = parsed.source
    empty = FileFacts(path=source.path, module=source.module)
    upgrade = next(
        (s for s in parsed.tree.body if isinstance(s, ast.FunctionDef) and s.name == "upgrade"),
        None,
    )
    revision = parsed.semantic.module_value("revision")
    if upgrade is None or revision is None:
        return empty
    imports, constants = parsed.semantic.imports, parsed.semantic.module_values
    reader = _Reader(parsed, Reader.of(source.path, imports, constants))
    ops = tuple(
        op
        for call, block in _calls(upgrade, reader)
        if (op := _operation(call, block, reader)) is not None
    )
    down = _revisions(parsed.semantic.module_value("down_revision"))
    name = string(revision) or source.path.rsplit("/", 1)[-1].removesuffix(".py")
    migration = Migration(revision=name, down_revisions=down, path=source.path, ops=ops)
    return FileFacts(path=source.path, module=source.module, migrations=(migration,))
