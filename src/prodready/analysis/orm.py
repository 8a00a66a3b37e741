"""What one function does with SQLAlchemy (2.0 and 1.x `Query`) and asyncpg, read from its tree.

- `statement(expr, values)`: the SQL statement an expression builds — `select(User).where(...)
  .with_for_update()`, `update(...)`, `text(...)`, `session.query(User).filter(...)` — followed
  through local names (`stmt = select(...)`, `stmt = stmt.where(...)`): its kind, the model it
  selects and whether any step of it locks the rows (`with_for_update`, a strict isolation level).
- `row_load(expr, values)`: the ORM object an expression loads — `await session.get(User, id)`
  (or a generic repository's `await self.session.get(self.model, id)`),
  `await session.scalar(stmt)`, `(await session.execute(stmt)).scalar_one()`,
  `(await session.scalars(stmt)).first()`, `result.scalar_one_or_none()` after
  `result = await session.execute(stmt)`, `session.query(User).filter(...).first()`.
- `query_call(call, values)`: whether a call sends a query ("read" / "write") on a SQLAlchemy
  session or connection, or an asyncpg connection or pool.

`values` maps a local name to every value the function assigns it (`local_assignments`).
Syntactic and conservative: what cannot be seen (a statement passed in as a parameter, a
repository method) is not a statement, so rules stay silent about it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from prodready.analysis.names import dotted_name
from prodready.analysis.reaching import Bindings
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_body, iter_subtree

Values = Mapping[str, Sequence[ast.expr]]
T = TypeVar("T")
_BUILDERS = {"select": "select", "update": "update", "insert": "insert", "delete": "delete"}
_BUILDERS |= {"text": "text", "upsert": "insert"}
_BUILDER_MODULES = frozenset({"sa", "sqlalchemy", "sqlmodel", "sql", "expression", "postgresql"})
_BUILDER_MODULES |= {"pg", "mysql", "sqlite", "dialects", "future"}
_LOCKS = frozenset({"with_for_update", "with_lockmode"})
_STRICT = re.compile(r"serializable|repeatable", re.I)
_ROW_TERMINALS = frozenset({"scalar_one", "scalar_one_or_none", "scalar", "first", "one"})
_ROW_TERMINALS |= {"one_or_none"}
_SCALAR_ONLY = frozenset({"scalar_one", "scalar_one_or_none", "scalar"})
_PASS_THROUGH = frozenset({"scalars", "unique"})
_MODEL = re.compile(r"^_?[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")  # CamelCase, not CONSTANT
_RECEIVER = re.compile(
    r"^_*(async_?|db_?|sa_?|orm_?)?(session|sess|db|conn|connection|con|pool|database|"
    r"tx|transaction|cursor|cur|uow|s)$",
    re.I,
)
_SQL_READ = re.compile(r"^\s*(\(\s*)*(select|with|show|values|table)\b", re.I)
_SQL_WRITE = re.compile(r"^\s*(insert|update|delete|upsert|merge|copy)\b", re.I)
_SQL_LOCK = re.compile(r"\bfor\s+(no\s+key\s+)?(update|share)\b", re.I)
_MAX_HOPS = 8
_MODEL_ATTRIBUTE = re.compile(r"^_*model(_?cls|_?class|_?type)?$")


@dataclass(frozen=True, slots=True)
class Statement:
    """kind: "select" | "update" | "insert" | "delete" | "text" | "query" (a 1.x `Query`);
    model: the first entity as written ("User"), "" when unknown; locked: some step locks."""

    kind: str
    model: str
    locked: bool


@dataclass(frozen=True, slots=True)
class RowLoad:
    """An ORM object loaded by `call` (the session / result call as written)."""

    model: str
    locked: bool
    call: ast.Call


def _memo(function: FunctionNode, key: str, build: Callable[[], T]) -> T:
    """`build()` once per function node (kept on the node, like `walk.iter_body`'s list)."""
    attribute = f"_prodready_orm_{key}"
    found = getattr(function, attribute, None)
    if found is None:
        found = build()
        setattr(function, attribute, found)
    return found


def local_assignments(function: FunctionNode) -> dict[str, list[ast.expr]]:
    """name -> every value the function's own body assigns to the plain name, in order."""
    return _memo(function, "values", lambda: _assignments(function))


def _assignments(function: FunctionNode) -> dict[str, list[ast.expr]]:
    values: dict[str, list[ast.expr]] = {}
    for node in iter_body(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
        elif (
            isinstance(node, ast.AnnAssign | ast.NamedExpr)
            and node.value is not None
            and isinstance(node.target, ast.Name)
        ):
            values.setdefault(node.target.id, []).append(node.value)
    return values


def _unawait(expr: ast.expr) -> ast.expr:
    return expr.value if isinstance(expr, ast.Await) else expr


def is_model_name(expr: ast.AST) -> bool:
    """`User`, `models.User`: a CamelCase class name (not a CONSTANT, not a string)."""
    name = dotted_name(expr)
    return name is not None and bool(_MODEL.match(name.rsplit(".", 1)[-1]))


def _model_attribute(expr: ast.AST) -> bool:
    """`self.model`, `cls._model`, `self.model_class`: a generic repository's model class."""
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in {"self", "cls"}
        and bool(_MODEL_ATTRIBUTE.match(expr.attr))
    )


def _strict_isolation(call: ast.Call) -> bool:
    return any(
        kw.arg == "isolation_level"
        and isinstance(kw.value, ast.Constant)
        and _STRICT.search(str(kw.value.value))
        for kw in call.keywords
    )


def statement(
    expr: ast.expr, values: Values, seen: frozenset[str] = frozenset()
) -> Statement | None:
    """The statement `expr` builds (see the module doc), else None."""
    node: ast.expr = _unawait(expr)
    locked = False
    for _ in range(_MAX_HOPS * 4):
        if isinstance(node, ast.Name):
            if node.id in seen:  # `stmt = stmt.where(...)`: the other assignments tell the kind
                return Statement("", "", locked)
            inner = seen | {node.id}
            found = [statement(v, values, inner) for v in values.get(node.id, ())]
            known = [s for s in found if s is not None]
            kinds = [s for s in known if s.kind]
            if not kinds or len(inner) > _MAX_HOPS:
                return None
            locked = locked or any(s.locked for s in known)
            return Statement(kinds[0].kind, kinds[0].model, locked)
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _LOCKS:
            locked = True
        elif isinstance(func, ast.Attribute) and func.attr == "execution_options":
            locked = locked or _strict_isolation(node)
        root = dotted_name(func)
        last = root.rsplit(".", 1)[-1] if root else ""
        if isinstance(func, ast.Attribute) and last == "query" and node.args:
            model = dotted_name(node.args[0]) if is_model_name(node.args[0]) else ""
            return Statement("query", model or "", locked)
        if root is not None and last in _BUILDERS and _builder_module(root):
            first = node.args[0] if node.args else None
            model = dotted_name(first) if first is not None and is_model_name(first) else ""
            if _BUILDERS[last] == "text" and _text_locks(first):
                locked = True
            return Statement(_BUILDERS[last], model or "", locked)
        if not isinstance(func, ast.Attribute):
            return None
        node = func.value
    return None


def _builder_module(root: str) -> bool:
    """`select` imported by name, or through a SQLAlchemy / SQLModel module alias."""
    return "." not in root or root.split(".", 1)[0] in _BUILDER_MODULES


def _text_locks(argument: ast.expr | None) -> bool:
    return isinstance(argument, ast.Constant) and bool(_SQL_LOCK.search(str(argument.value)))


def _get_locks(call: ast.Call) -> bool:
    for kw in call.keywords:
        if kw.arg == "with_for_update":
            return not (isinstance(kw.value, ast.Constant) and kw.value.value in (None, False))
    return False


def row_load(expr: ast.expr, values: Values) -> RowLoad | None:
    """The ORM object `expr` loads (see the module doc), else None."""
    node = _unawait(expr)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    method, receiver = node.func.attr, node.func.value
    if method in {"get", "get_one"} and len(node.args) >= 2 and is_model_name(node.args[0]):
        return RowLoad(dotted_name(node.args[0]) or "", _get_locks(node), node)
    if method in {"get", "get_one"} and len(node.args) >= 2 and _model_attribute(node.args[0]):
        return RowLoad("", _get_locks(node), node) if is_db_receiver(node) else None
    if method == "scalar" and node.args:
        found = statement(node.args[0], values)
        if found is not None and found.kind in {"select", "query"}:
            return RowLoad(found.model, found.locked, node)
        return None
    if method not in _ROW_TERMINALS or node.args:
        return None
    source = _result_source(receiver, values, method in _SCALAR_ONLY, frozenset())
    return RowLoad(source.model, source.locked, node) if source is not None else None


def rows_load(expr: ast.expr, values: Values, follow: bool = True) -> RowLoad | None:
    """The ORM objects a collection holds when it comes from a query: `await
    session.scalars(stmt)`, `(...).scalars().all()`, `session.query(User).all()`, or a local
    assigned one of those (`users = result.scalars().all()`)."""
    node = _unawait(expr)
    if isinstance(node, ast.Name) and follow:
        loads = [rows_load(v, values, follow=False) for v in values.get(node.id, ())]
        known = [load for load in loads if load is not None]
        return known[0] if known and len(known) == len(loads) else None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    method, receiver = node.func.attr, node.func.value
    source: Statement | None = None
    if method == "scalars" and node.args:
        source = statement(node.args[0], values)
        source = source if source is not None and source.kind in {"select", "query"} else None
    elif method in {"all", "fetchall", "scalars", "unique"} and not node.args:
        source = _result_source(receiver, values, method == "scalars", frozenset())
        if source is None and method == "all":
            query = statement(node, values)
            source = query if query is not None and query.kind == "query" else None
    return RowLoad(source.model, source.locked, node) if source is not None else None


def _result_source(
    receiver: ast.expr, values: Values, scalar: bool, seen: frozenset[str]
) -> Statement | None:
    """The select statement a result (or a `Query`) comes from; `scalar` once the rows are
    known to be ORM objects (`scalars()`, `scalar_one()`), not `Row`s."""
    node = _unawait(receiver)
    for _ in range(_MAX_HOPS):
        if isinstance(node, ast.Name):
            assigned = values.get(node.id, ())
            if node.id in seen or not assigned or len(seen) >= _MAX_HOPS:
                return None
            sources = [_result_source(v, values, scalar, seen | {node.id}) for v in assigned]
            known = [s for s in sources if s is not None]
            if len(known) != len(sources):
                return None  # `result` also holds something else
            return Statement(known[0].kind, known[0].model, any(s.locked for s in known))
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return None
        method = node.func.attr
        if method in {"execute", "scalars"} and node.args:
            found = statement(node.args[0], values)
            objects = scalar or method == "scalars"
            if found is None or found.kind not in {"select", "query"} or not objects:
                return None
            return found
        if method in _PASS_THROUGH and not node.args:
            scalar = scalar or method == "scalars"
            node = _unawait(node.func.value)
            continue
        found = statement(node, values)
        return found if found is not None and found.kind == "query" else None
    return None


def receiver_name(call: ast.Call) -> str:
    """The last part of the object a method is called on: `self._session.get` -> "_session"."""
    if not isinstance(call.func, ast.Attribute):
        return ""
    name = dotted_name(call.func.value)
    return name.rsplit(".", 1)[-1] if name else ""


def is_db_receiver(call: ast.Call) -> bool:
    """True when a method is called on something named like a session, connection or pool."""
    return bool(_RECEIVER.match(receiver_name(call)))


def _sql_kind(argument: ast.expr) -> str | None:
    text = argument.value if isinstance(argument, ast.Constant) else None
    if isinstance(argument, ast.JoinedStr):
        parts = [p.value for p in argument.values if isinstance(p, ast.Constant)]
        text = str(parts[0]) if parts else None
    if not isinstance(text, str):
        return None
    if _SQL_READ.match(text):
        return "read"
    return "write" if _SQL_WRITE.match(text) else None


def writes(call: ast.Call, values: Values) -> bool:
    """`session.execute(insert / update / delete(...))`, or of `text("INSERT ...")` or a raw
    SQL string that writes; False when the statement cannot be read."""
    if not call.args:
        return False
    found = statement(call.args[0], values)
    if found is None:
        return query_call(call, values) == "write"
    if found.kind == "text":
        built = _unawait(call.args[0])
        if isinstance(built, ast.Name):
            built = next(iter(values.get(built.id, ())), built)
        sql = built.args[0] if isinstance(built, ast.Call) and built.args else None
        return sql is not None and _sql_kind(sql) == "write"
    return found.kind in {"insert", "update", "delete"}


def query_call(call: ast.Call, values: Values) -> str | None:
    """ "read" / "write" when `call` sends a query to the database, else None:
    `session.get(Model, id)`, `session.refresh(obj)`, `session.execute/scalar/scalars/stream(
    <statement>)` (on any receiver when the statement is seen, else on a session-named one),
    asyncpg `conn.fetch/fetchrow/fetchval/execute("<SQL>")`."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    if method in {"get", "get_one"}:
        return "read" if len(call.args) >= 2 and is_model_name(call.args[0]) else None
    if method == "refresh":
        return "read" if call.args and is_db_receiver(call) else None
    if not call.args:
        return None
    if method in {"execute", "scalar", "scalars", "stream", "stream_scalars"}:
        found = statement(call.args[0], values)
        if found is not None:
            return "read" if found.kind in {"select", "query"} else "write"
        sql = _sql_kind(call.args[0])
        if sql is not None and (method == "execute" or is_db_receiver(call)):
            return sql
        return "read" if method != "execute" and is_db_receiver(call) else None
    if method in {"fetch", "fetchrow", "fetchval", "fetchmany", "cursor"}:
        sql = _sql_kind(call.args[0])
        return sql or ("read" if is_db_receiver(call) else None)
    if method == "executemany":
        return "write" if _sql_kind(call.args[0]) is not None or is_db_receiver(call) else None
    return None


Loaders = Mapping[str, RowLoad]
_NO_LOADERS: Loaders = {}


def _helper_load(expr: ast.expr, loaders: Loaders) -> RowLoad | None:
    """`await get_user(...)`, `await self._get_user(...)`, `await UserRepo.get(...)` of a
    function the module defines that returns a loaded row."""
    node = _unawait(expr)
    if not loaders or not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.id if isinstance(func, ast.Name) else ""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = func.value.id
        name = func.attr if owner in {"self", "cls"} or is_model_name(func.value) else ""
    found = loaders.get(name)
    return RowLoad(found.model, found.locked, node) if found is not None else None


def returned_load(function: FunctionNode) -> RowLoad | None:
    """The row every `return <value>` of the function gives back, when all are loads
    (computed once per function)."""
    return _memo(function, "returned", lambda: (_returned(function),))[0]


def _returned(function: FunctionNode) -> RowLoad | None:
    values = local_assignments(function)
    returned = [
        n.value
        for n in iter_body(function)
        if isinstance(n, ast.Return) and n.value is not None and not _is_none(n.value)
    ]
    loads: list[RowLoad | None] = []
    for value in returned:
        if isinstance(value, ast.Name):
            loads += [row_load(v, values) for v in values.get(value.id, [])] or [None]
        else:
            loads.append(row_load(value, values))
    known = [load for load in loads if load is not None]
    if not known or len(known) != len(loads):
        return None
    return RowLoad(known[0].model, any(load.locked for load in known), known[0].call)


def module_loaders(module: ast.AST) -> Loaders:
    """Name -> row of the module's functions and methods that return a loaded row
    (`async def get_user(session, uid): return await session.get(User, uid)`); a name defined
    twice with different answers is left out. Computed once per module."""
    if not isinstance(module, ast.Module):
        return _NO_LOADERS
    return _memo(module, "loaders", lambda: _loaders(module))  # type: ignore[arg-type]


def _loaders(module: ast.Module) -> dict[str, RowLoad]:
    found: dict[str, RowLoad | None] = {}
    stack: list[ast.AST] = list(module.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            stack.extend(node.body)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            load = returned_load(node)
            found[node.name] = load if found.get(node.name, load) == load else None
    return {name: load for name, load in found.items() if load is not None}


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


@dataclass(frozen=True, slots=True)
class _Event:
    line: int
    load: RowLoad | None
    node: ast.AST


# The row a call to a function of another module returns, or the rows at each item of the
# tuple it returns (None at an item that is not one).
Remote = Callable[[ast.Call], RowLoad | tuple[RowLoad | None, ...] | None]


@dataclass(frozen=True, slots=True)
class LoadedRows:
    """The ORM objects a function loads into its plain local names, in source order:
    `user = await session.get(User, 1)` makes `user` a loaded row until `user` is bound to
    something else; `await session.refresh(user, with_for_update=True)` locks it."""

    events: Mapping[str, Sequence[_Event]]
    function: FunctionNode

    @classmethod
    def of(
        cls,
        function: FunctionNode,
        values: Values,
        loaders: Loaders = _NO_LOADERS,
        remote: Remote | None = None,
    ) -> LoadedRows:
        """`loaders`: functions of the module that return a loaded row (`module_loaders`);
        `remote`: the row a call to a function of another module returns (the project's
        call graph), when known."""
        key = "rows" if remote is None else "rows_remote"
        return _memo(function, key, lambda: cls._build(function, values, loaders, remote))

    @classmethod
    def _build(
        cls, function: FunctionNode, values: Values, loaders: Loaders, remote: Remote | None
    ) -> LoadedRows:
        events: dict[str, list[_Event]] = {}
        for node in iter_body(function):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found: RowLoad | tuple[RowLoad | None, ...] | None
                found = row_load(node.value, values) or _helper_load(node.value, loaders)
                called = _unawait(node.value)
                if found is None and remote is not None and isinstance(called, ast.Call):
                    found = remote(called)
                load = found if isinstance(found, RowLoad) else None
                items: tuple[RowLoad | None, ...] = found if isinstance(found, tuple) else ()
                for target in targets:
                    if isinstance(target, ast.Name):
                        events.setdefault(target.id, []).append(_Event(node.lineno, load, node))
                    elif isinstance(target, ast.Tuple | ast.List) and len(target.elts) == len(
                        items
                    ):  # `user, created = await get_or_create_user(...)`
                        for element, item in zip(target.elts, items, strict=True):
                            if isinstance(element, ast.Name):
                                event = _Event(node.lineno, item, node)
                                events.setdefault(element.id, []).append(event)
                            else:
                                _rebind(events, element, node)
                    else:  # `source, target = ...` binds the names to something else
                        _rebind(events, target, node)
            elif isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
                each = rows_load(node.iter, values)
                events.setdefault(node.target.id, []).append(_Event(node.lineno, each, node))
            elif isinstance(node, ast.For | ast.AsyncFor):
                _rebind(events, node.target, node)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                _rebind(events, node.optional_vars, node.context_expr)
            elif isinstance(node, ast.Call) and refresh_locks(node):
                name = node.args[0].id  # type: ignore[attr-defined]
                locked = RowLoad("", True, node)
                events.setdefault(name, []).append(_Event(node.lineno, locked, node))
        return cls(events, function)

    @property
    def loads_any(self) -> bool:
        return any(event.load for events in self.events.values() for event in events)

    def at(self, name: str, line: int, where: ast.AST | None = None) -> tuple[int, RowLoad] | None:
        """(line of the load, the load) for the row `name` holds at `line` — its binding on
        the last earlier line, skipping one in the other branch of an `if` than `where` (the
        statement that uses it) — when that binding loaded a row; else None."""
        earlier = [event for event in self.events.get(name, ()) if event.line < line]
        if where is not None and len(earlier) > 1:
            bindings = _memo(self.function, "bindings", lambda: Bindings.of(self.function))
            earlier = [e for e in earlier if not bindings.exclusive(e.node, where)]
        current = earlier[-1] if earlier else None
        if current is None or current.load is None:
            return None
        return current.line, current.load


def _rebind(events: dict[str, list[_Event]], target: ast.expr, node: ast.AST) -> None:
    """The plain names of an unpacking target now hold something not known to be a row."""
    line = getattr(node, "lineno", 0)
    for name in iter_subtree(target):
        if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
            events.setdefault(name.id, []).append(_Event(line, None, node))


def refresh_locks(call: ast.Call) -> bool:
    """`session.refresh(obj, with_for_update=True)` (re-reads the row under a lock)."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "refresh"
        and bool(call.args)
        and isinstance(call.args[0], ast.Name)
        and _get_locks(call)
    )


_LOCKISH = re.compile(r"lock|mutex|semaphore", re.I)
_ADVISORY = re.compile(r"pg_(try_)?advisory_(xact_)?lock", re.I)
_ISOLATION_SQL = re.compile(r"isolation\s+level\s+(serializable|repeatable)", re.I)
_PERSISTS = frozenset({"add", "add_all", "merge", "flush", "commit"})


def commits(function: FunctionNode) -> bool:
    """True when the function ends a unit of work itself: `commit()` / `flush()` on anything,
    a call named like a commit (`session_commit(session)`), `async with session.begin():`."""
    for node in iter_body(function):
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
            if name in {"commit", "flush", "begin"} or "commit" in name:
                return True
    return False


def persists(function: FunctionNode) -> bool:
    """True when the function commits (see `commits`) or hands objects to a session to write
    (`add`, `add_all`, `merge`)."""
    if commits(function):
        return True
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _PERSISTS
        and is_db_receiver(node)
        for node in iter_body(function)
    )


def _serializes(node: ast.AST) -> bool:
    """An advisory lock (`pg_advisory_xact_lock` in SQL or a `func.` call) or a strict
    isolation level (`execution_options(isolation_level=...)`, `SET TRANSACTION ...`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_ADVISORY.search(node.value) or _ISOLATION_SQL.search(node.value))
    if isinstance(node, ast.Call):
        return _strict_isolation(node) or bool(_ADVISORY.search(dotted_name(node.func) or ""))
    if isinstance(node, ast.Dict):  # execution_options={"isolation_level": "SERIALIZABLE"}
        return any(
            isinstance(k, ast.Constant)
            and k.value == "isolation_level"
            and isinstance(v, ast.Constant)
            and bool(_STRICT.search(str(v.value)))
            for k, v in zip(node.keys, node.values, strict=True)
        )
    return False


def serialized_nodes(function: FunctionNode) -> tuple[bool, frozenset[int]]:
    """See `_serialized` (computed once per function)."""
    return _memo(function, "serialized", lambda: _serialized(function))


def _serialized(function: FunctionNode) -> tuple[bool, frozenset[int]]:
    """(the whole function is serialised, ids of the nodes that run under a lock).

    The whole function: it takes a PostgreSQL advisory lock or runs at a REPEATABLE READ /
    SERIALIZABLE isolation level. Under a lock: the body of a `with` / `async with` whose
    context names a lock, mutex or semaphore (`async with user_lock(uid):`)."""
    under: set[int] = set()
    for node in iter_body(function):
        if _serializes(node):
            return True, frozenset()
        if isinstance(node, ast.With | ast.AsyncWith) and any(
            _LOCKISH.search(ast.unparse(item.context_expr)) for item in node.items
        ):
            for statement in node.body:
                under.update(id(inner) for inner in iter_subtree(statement, same_scope=True))
    return False, frozenset(under)


def returns_rows(iterable: ast.expr, values: Values) -> bool:
    """The iterable is what a query returned (`users = (await s.scalars(q)).all()`)."""
    seen = [iterable, *(values.get(iterable.id, ()) if isinstance(iterable, ast.Name) else ())]
    return any(
        (isinstance(n, ast.Call) and query_call(n, values) == "read") or row_load(n, values)
        for value in seen
        for n in iter_subtree(value)
        if isinstance(n, ast.Call)
    )


_HANDOVER = frozenset(
    {"enter_async_context", "enter_context", "closing", "aclosing", "push_async_callback"}
)
_CLOSES = frozenset({"close", "aclose", "__aexit__", "__exit__"})
_ENDS = _CLOSES | {"commit", "rollback"}


def _is(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _takes_over(node: ast.AST, name: str) -> bool:
    """`async with name` / `name.begin()`, `return` / `yield` using it, stored in an attribute
    or a subscript, handed to an exit stack or `closing()`."""
    uses = False
    if isinstance(node, ast.withitem):
        expr = node.context_expr
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            expr = expr.func.value
        return _is(expr, name)
    if isinstance(node, ast.Return | ast.Yield | ast.YieldFrom) and node.value is not None:
        uses = True
    elif isinstance(node, ast.Assign):
        uses = any(isinstance(t, ast.Attribute | ast.Subscript) for t in node.targets)
    elif isinstance(node, ast.Call):
        method = (dotted_name(node.func) or "").rsplit(".", 1)[-1]
        return method in _HANDOVER and any(_is(a, name) for a in node.args)
    value = getattr(node, "value", None)
    return uses and value is not None and _passes(value, name)


def _passes(value: ast.expr, name: str) -> bool:
    """`value` carries the object itself (`session`, `Repo(session)`, `(a, session)`), not
    only something read from it (`session.query(User).count()`)."""
    read_from = {id(n.value) for n in iter_subtree(value) if isinstance(n, ast.Attribute)}
    return any(_is(n, name) and id(n) not in read_from for n in iter_subtree(value))


def session_lifetime(function: FunctionNode, name: str) -> str:
    """How the function ends the session (or connection) in its local `name`: "owned" when
    something guarantees the end or takes it over (see `_takes_over`, or `name.close()` in a
    `finally:`); "happy-path" when it is closed, committed or rolled back only outside
    `finally:`; "leaked" when none of these."""
    finally_ids: set[int] = set()
    ended = False
    for node in iter_body(function):
        if isinstance(node, ast.Try):
            for statement in node.finalbody:
                finally_ids.update(id(n) for n in iter_subtree(statement, same_scope=True))
        if _takes_over(node, name):
            return "owned"
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and _is(func.value, name) and func.attr in _ENDS:
            if func.attr in _CLOSES and id(node) in finally_ids:
                return "owned"
            ended = True
    return "happy-path" if ended else "leaked"


_SESSION_CLASSES = frozenset(
    {
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlmodel.Session",
        "sqlmodel.ext.asyncio.session.AsyncSession",
    }
)
_FACTORY_NAMES = re.compile(
    r"^_*(async_?)?(db_?)?session_?(local|maker|factory|pool)$|^_*async_?session$", re.I
)


def makes_session(func: ast.expr, semantic: SemanticModel) -> bool:
    """A session class, a module-level `x = async_sessionmaker(...)`, `sessionmaker(...)()`,
    or a factory named by convention (`async_session`, `SessionLocal`, `self.session_maker`)."""
    if semantic.qualified_name(func) in _SESSION_CLASSES:
        return True
    name = (dotted_name(func) or "").rsplit(".", 1)[-1]
    if name.endswith("sessionmaker"):
        return False  # builds a factory, not a session
    built = semantic.module_value(func.id) if isinstance(func, ast.Name) else func
    if isinstance(built, ast.Call):
        made_by = semantic.qualified_name(built.func) or dotted_name(built.func) or ""
        if made_by.endswith("sessionmaker"):
            return True
    return bool(_FACTORY_NAMES.match(name))
