"""ORM rows held by the local names of async functions, tied to the schema's models.

Shared by the asyncio implicit-IO rules (DB008, DB009): which local name holds a row of
which model from which line, how it got there — loaded by an awaited session call in the
function itself ("load"), returned by an awaited project function that loads it ("helper", in
the same module or imported from another), or built and `session.add`-ed ("new") — and the
session it belongs to when the code names it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.orm import (
    LoadedRows,
    RowLoad,
    Values,
    is_model_name,
    local_assignments,
    module_loaders,
)
from prodready.analysis.orm_access import awaited_load, loaded_eagerly
from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Table
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.analysis.walk import iter_body, iter_statements, iter_subtree
from prodready.rules.functions import functions_of
from prodready.rules.transitions import resolve_model

_SESSION_CALLS = frozenset({"get", "get_one", "execute", "scalar", "scalars", "stream"})
_SESSION_CALLS |= {"stream_scalars"}
_SESSION_NAME = re.compile(r"(^|_)(session|sess|db|uow)$", re.I)


@dataclass(frozen=True, slots=True)
class Helper:
    """A project function that returns a loaded row: its file, def and model (bare name)."""

    parsed: ParsedFile
    node: FunctionNode
    model: str


@dataclass(frozen=True, slots=True)
class Row:
    """A row bound to `name` on `line` by `statement`; how: "load" | "helper" | "new";
    session: the session's text ("session", "self.session"), "" when not seen; eager: the
    relationships loaded up front where the row was loaded (None: unreadable options)."""

    name: str
    model: str
    line: int
    statement: ast.stmt
    how: str
    session: str
    eager: frozenset[str] | None


def helpers(
    parsed: ParsedFile, project: Project, files: ParsedFiles, models: Mapping[str, Table]
) -> dict[str, Helper]:
    """Local name -> loader function callable from `parsed`: its own functions and methods
    (by name, when defined once) and functions imported from project modules."""
    found: dict[str, Helper] = {}
    own: dict[str, list[FunctionNode]] = {}
    for _, node, _methods in functions_of(parsed):
        own.setdefault(node.name, []).append(node)
    for name, load in module_loaders(parsed.tree).items():
        model = resolve_model(load.model, parsed, dict(models))
        if model and len(own.get(name, ())) == 1:
            found[name] = Helper(parsed, own[name][0], model)
    for local, qualified in parsed.semantic.imports.bindings.items():
        info = project.calls.functions.get(qualified)
        other = files.get(info.evidence.path) if info is not None and local not in found else None
        defined = _defs(other).get(info.evidence.line) if other is not None and info else None
        if other is None or defined is None:
            continue
        node = defined
        imported = module_loaders(other.tree).get(node.name)
        model = resolve_model(imported.model, other, dict(models)) if imported else ""
        if model:
            found[local] = Helper(other, node, model)
    return found


def _defs(parsed: ParsedFile) -> dict[int, FunctionNode]:
    """The file's defs by line, computed once per tree."""
    found: dict[int, FunctionNode] | None = getattr(parsed.tree, "_prodready_defs", None)
    if found is None:
        found = {n.lineno: n for n in iter_statements(parsed.tree) if isinstance(n, FunctionNode)}
        setattr(parsed.tree, "_prodready_defs", found)  # noqa: B010
    return found


def _helper_of(value: ast.expr, found: Mapping[str, Helper]) -> Helper | None:
    node = value.value if isinstance(value, ast.Await) else value
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name):
        return found.get(func.id)
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return None
    own = func.value.id in {"self", "cls"} or is_model_name(func.value)
    return found.get(func.attr) if own else None


def _session_of(expr: ast.expr, values: Values, hops: int = 0) -> str:
    """The receiver of the awaited session call that produced `expr` ("" when unseen)."""
    for node in iter_subtree(expr):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _SESSION_CALLS
        ):
            receiver = dotted_name(node.func.value)
            if receiver is not None and receiver.split(".")[0] not in values:
                return receiver
            if receiver is not None and _SESSION_NAME.search(receiver):
                return receiver
        if isinstance(node, ast.Name) and hops < 3:
            for value in values.get(node.id, ()):
                found = _session_of(value, values, hops + 1)
                if found:
                    return found
    return ""


def _session_argument(call: ast.expr) -> str:
    node = call.value if isinstance(call, ast.Await) else call
    if not isinstance(node, ast.Call):
        return ""
    for arg in (*node.args, *(k.value for k in node.keywords)):
        text = dotted_name(arg) or ""
        if _SESSION_NAME.search(text):
            return text
    return ""


def _bindings(function: FunctionNode) -> Iterator[tuple[str, ast.stmt, ast.expr]]:
    """(name, statement, value) for `name = value` and `for name in value`."""
    for node in iter_body(function):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    yield target.id, node, node.value
        elif isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
            yield node.target.id, node, node.iter


Rows = Mapping[str, list[tuple[int, Row | None]]]


def async_rows(
    function: FunctionNode,
    parsed: ParsedFile,
    models: Mapping[str, Table],
    found: Mapping[str, Helper],
) -> Rows:
    """name -> (line, what the binding holds) for each binding, in source order (None: not
    a row)."""
    values = local_assignments(function)
    loaded = LoadedRows.of(function, values, module_loaders(parsed.tree))
    added = _added(function)
    rows: dict[str, list[tuple[int, Row | None]]] = {}
    for name, statement, value in _bindings(function):
        row = _row(name, statement, value, values, loaded, added, parsed, models, found)
        rows.setdefault(name, []).append((statement.lineno, row))
    return rows


def _row(
    name: str,
    statement: ast.stmt,
    value: ast.expr,
    values: Values,
    loaded: LoadedRows,
    added: Mapping[str, str],
    parsed: ParsedFile,
    models: Mapping[str, Table],
    found: Mapping[str, Helper],
) -> Row | None:
    line = statement.lineno
    helper = _helper_of(value, found) if not isinstance(statement, ast.For) else None
    if helper is not None and isinstance(value, ast.Await) and _is_async(helper.node):
        eager = loaded_eagerly(helper.node)
        return Row(name, helper.model, line, statement, "helper", _session_argument(value), eager)
    at = loaded.at(name, line + 1)
    load: RowLoad | None = at[1] if at is not None and at[0] == line else None
    if load is not None and load.model and awaited_load(value, values):
        model = resolve_model(load.model, parsed, dict(models))
        if model:
            return Row(
                name, model, line, statement, "load", _session_of(value, values), frozenset()
            )
    if isinstance(value, ast.Call) and is_model_name(value.func) and name in added:
        model = resolve_model(dotted_name(value.func) or "", parsed, dict(models))
        if model:
            return Row(name, model, line, statement, "new", added[name], frozenset())
    return None


def _is_async(node: FunctionNode) -> bool:
    return isinstance(node, ast.AsyncFunctionDef)


def _added(function: FunctionNode) -> dict[str, str]:
    """name -> session text, for `session.add(name)` calls of the function."""
    found: dict[str, str] = {}
    for node in iter_body(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
        ):
            receiver = dotted_name(node.func.value) or ""
            if _SESSION_NAME.search(receiver):
                found.setdefault(node.args[0].id, receiver)
    return found


def row_at(rows: Rows, name: str, line: int) -> Row | None:
    """The row `name` holds at `line`: its binding on the last earlier line, if a row."""
    current: Row | None = None
    for bound, row in rows.get(name, ()):
        if bound < line:
            current = row
    return current


def async_functions(parsed: ParsedFile) -> Iterator[tuple[str, FunctionNode]]:
    for name, node, _methods in functions_of(parsed):
        if _is_async(node):
            yield name, node
