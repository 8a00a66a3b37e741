"""Lists of rows a function loads whole and then only counts, filters or sums in Python.

`whole_rows(expr, values)`: the load when `expr` is the list of every row a query matches —
`(await session.execute(select(User).where(...))).scalars().all()`, `result.all()` after
`result = await session.execute(stmt)`, `(await session.scalars(stmt)).all()`, asyncpg
`await conn.fetch("SELECT ...")` — with no `limit`, no paging, no aggregate; followed through the
function's own assignments (`values`, see orm.local_assignments).

`python_side_uses(function)`: for every such list the function builds, how it is used when every
use is a count (`len(rows)`), a filter (`[u for u in rows if u.active]`) or a sum
(`sum(o.total for o in rows)`) — the work a `func.count()`, a `where()` or a `func.sum()` does in
the database. A list used for anything else (returned, iterated, indexed) is not reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.orm import Values, is_db_receiver, local_assignments, statement
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_LISTS = frozenset({"all", "fetchall"})
_PASS = frozenset({"scalars", "unique", "mappings", "tuples"})
_BOUNDED = ("limit(", "offset(", "slice(", "yield_per", "fetch(first", "count(", "func.", "[:")
_FILTERS = ("where(", "filter(", "filter_by(", "having(", "join(")
_SQL_SELECT = re.compile(r"^\s*select\b", re.I)
_SQL_BOUNDED = re.compile(r"\blimit\b|\bcount\s*\(|\bsum\s*\(|\bfetch\s+first\b", re.I)
_SQL_FILTERED = re.compile(r"\bwhere\b|\bjoin\b|\bhaving\b", re.I)


@dataclass(frozen=True, slots=True)
class Load:
    """A whole-table (or whole-filter) load: the call as written and whether SQL filters it."""

    call: ast.Call
    filtered: bool


@dataclass(frozen=True, slots=True)
class PythonSideUse:
    """kind: "count" | "filter" | "sum"; `node`: where the Python does the database's work."""

    kind: str
    node: ast.AST
    load: Load


def _unawait(expr: ast.expr) -> ast.expr:
    return expr.value if isinstance(expr, ast.Await) else expr


def _query_load(call: ast.Call, values: Values, written: str) -> Load | None:
    """`session.execute(select(...))`, `session.scalars(stmt)`, `conn.fetch("SELECT ...")`."""
    if not isinstance(call.func, ast.Attribute) or not call.args:
        return None
    method, argument = call.func.attr, call.args[0]
    if method in {"execute", "scalars"}:
        found = statement(argument, values)
        if found is None or found.kind != "select":
            return None
        text = written + " " + _statement_text(argument, values)
        if any(word in text for word in _BOUNDED):
            return None
        return Load(call, any(word in text for word in _FILTERS))
    if method == "fetch" and isinstance(argument, ast.Constant) and is_db_receiver(call):
        sql = str(argument.value)
        if not _SQL_SELECT.match(sql) or _SQL_BOUNDED.search(sql):
            return None
        return Load(call, bool(_SQL_FILTERED.search(sql)))
    return None


def _statement_text(expr: ast.expr, values: Values, hops: int = 4) -> str:
    text = ast.unparse(expr)
    if hops and isinstance(expr, ast.Name):
        text += " ".join(_statement_text(v, values, hops - 1) for v in values.get(expr.id, ()))
    return text


def whole_rows(expr: ast.expr, values: Values, hops: int = 4) -> Load | None:
    """The load when `expr` is a list of every row a query matches (see the module doc)."""
    node = _unawait(expr)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "fetch":
            return _query_load(node, values, ast.unparse(node))
        if node.func.attr not in _LISTS or node.args:
            return None
        receiver = _unawait(node.func.value)
        while (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr in _PASS
            and not receiver.args
        ):
            receiver = _unawait(receiver.func.value)
        if isinstance(receiver, ast.Name) and hops:
            assigned = values.get(receiver.id, ())
            if len(assigned) != 1:
                return None
            receiver = _unawait(assigned[0])
        if isinstance(receiver, ast.Call):
            return _query_load(receiver, values, ast.unparse(node))
    return None


def _translatable(test: ast.expr, item: str) -> bool:
    """A condition a `where()` can say: attributes (or keys) of the item compared with plain
    values — no calls, no nested attributes (relationships), and it reads the item."""
    reads = False
    for node in ast.walk(test):
        if isinstance(node, ast.Call | ast.Lambda | ast.comprehension):
            return False
        if not isinstance(node, ast.Attribute | ast.Subscript):
            continue
        if isinstance(node.value, ast.Name):
            reads = reads or node.value.id == item
        elif any(isinstance(n, ast.Name) and n.id == item for n in ast.walk(node.value)):
            return False  # `u.referrer.active`: a relationship, not a column
    return reads


def _comprehension_use(comp: ast.AST, parent: ast.AST | None) -> str | None:
    """ "filter" for `[u for u in rows if <column test>]`, "sum" for `sum(o.total for o in
    rows)`, else None."""
    if not isinstance(comp, ast.ListComp | ast.GeneratorExp) or len(comp.generators) != 1:
        return None
    generator = comp.generators[0]
    if not isinstance(generator.target, ast.Name) or generator.is_async:
        return None
    item = generator.target.id
    tests_ok = all(_translatable(test, item) for test in generator.ifs)
    summed = (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id == "sum"
        and len(parent.args) == 1
        and _translatable(comp.elt, item)
    )
    if summed and tests_ok:
        return "sum"
    if generator.ifs and tests_ok:
        return "filter"
    return None


def _parents(function: FunctionNode) -> dict[int, ast.AST]:
    found: dict[int, ast.AST] = {}
    for node in iter_body(function):
        for child in ast.iter_child_nodes(node):
            found[id(child)] = node
    return found


def _use(node: ast.expr, parents: dict[int, ast.AST]) -> tuple[str, ast.AST] | None:
    """How the list `node` (a load or a name holding one) is used, when it is Python doing the
    database's work."""
    parent = parents.get(id(node))
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id == "len"
        and parent.args == [node]
    ):
        return "count", parent
    if isinstance(parent, ast.comprehension) and parent.iter is node:
        comp = parents.get(id(parent))
        kind = _comprehension_use(comp, parents.get(id(comp))) if comp is not None else None
        return (kind, comp) if kind and comp is not None else None
    return None


def python_side_uses(function: FunctionNode) -> Iterator[PythonSideUse]:
    """Loads of whole lists that the function only counts, filters or sums (module doc)."""
    values = local_assignments(function)
    parents = _parents(function)
    names: dict[str, list[ast.Name]] = {}
    for node in iter_body(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.setdefault(node.id, []).append(node)
        elif isinstance(node, ast.Call | ast.Await) and not isinstance(
            parents.get(id(node)), ast.Await
        ):
            load = whole_rows(node, values)
            direct = _use(node, parents) if load is not None else None
            if load is not None and direct is not None:
                yield PythonSideUse(direct[0], direct[1], load)
    for name, uses in names.items():
        assigned = values.get(name, ())
        load = whole_rows(assigned[0], values) if len(assigned) == 1 else None
        if load is None:
            continue
        found = [_use(use, parents) for use in uses]
        kinds = [each for each in found if each is not None]
        if kinds and len(kinds) == len(found) and len({each[0] for each in kinds}) == 1:
            first = min(kinds, key=lambda each: getattr(each[1], "lineno", 0))
            yield PythonSideUse(first[0], first[1], load)
