"""Which project functions return ORM rows, followed through the functions that hand on
another's result.

A file fact says how each function's `return`s build their value (`Returned`): rows the body
loads (`return await session.get(User, uid)`) and calls whose result is returned as is
(`return await user_repo.get_by_tg_id(session, tg_id)` in a service), for the whole value
and for each item of a returned tuple (`return user, created`). `resolve` then settles, over
the whole call graph, which functions return a row (`FunctionInfo.returns_row`) or a tuple
holding rows (`returns_rows`), and whether every path locks it: a function returns a row when
each of its `return`s is a row it loads or the result of a function that returns one. Each
function is settled once; a round settles every function whose callees are settled, so the
work is the number of forwarding functions times the longest chain (bounded); a cycle of
functions returning each other's results settles to "no row" (silence, precision first).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from prodready.analysis.orm import is_model_name, local_assignments, refresh_locks, row_load
from prodready.analysis.project.model import FunctionInfo, Returned, RowSource
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

# An untyped receiver's method linked by its name alone: `get`, `first`, `fetch` are also
# dict, cache and HTTP-client methods, so only a compound name (`get_by_user`) is trusted.
GENERIC = re.compile(r"^_*[a-z]+$")
_MAX_ROUNDS = 12
Callee = Callable[[ast.Call], str | None]
Settled = RowSource | tuple[RowSource | None, ...] | None
Results = Callable[[tuple[str, ...]], "list[Settled] | None"]
_Part = tuple[RowSource | None, tuple[str, ...]]


def is_generic(call: str) -> bool:
    """`*.get`: a method of an untyped receiver whose one-word name says nothing."""
    return call.startswith("*.") and bool(GENERIC.match(call[2:]))


def returned_shapes(
    function: FunctionNode, callee: Callee
) -> tuple[Returned | None, tuple[Returned | None, ...]]:
    """How every `return <value>` (not `return None`) builds the whole value and, when each
    returns a tuple of the same length, each item; `callee` names a call as `calls.extract`
    does."""
    values = local_assignments(function)
    returned = [
        n.value
        for n in iter_body(function)
        if isinstance(n, ast.Return)
        and n.value is not None
        and not (isinstance(n.value, ast.Constant) and n.value.value is None)
    ]
    if not returned:
        return None, ()
    # `await session.refresh(user, with_for_update=True)`: `user` is a row, and locked
    locked = {
        node.args[0].id
        for node in iter_body(function)
        if isinstance(node, ast.Call) and refresh_locks(node) and isinstance(node.args[0], ast.Name)
    }
    whole = _combine([_part(value, values, callee, locked) for value in returned])
    tuples = [value for value in returned if isinstance(value, ast.Tuple)]
    sizes = {len(value.elts) for value in tuples}
    size = sizes.pop() if len(tuples) == len(returned) and len(sizes) == 1 else 0
    items = tuple(
        _combine([_part(value.elts[i], values, callee, locked) for value in tuples])
        for i in range(size if size >= 2 else 0)
    )
    return whole, items if any(items) else ()


def _part(
    value: ast.expr,
    values: Mapping[str, list[ast.expr]],
    callee: Callee,
    locked: set[str],
    follow: bool = True,
) -> _Part | None:
    """A returned expression: a row it loads, or the call whose result it is; a local name
    is each value it is assigned."""
    if isinstance(value, ast.Name) and value.id in locked:
        return RowSource("", True), ()
    if isinstance(value, ast.Name) and follow:
        parts = [_part(v, values, callee, locked, False) for v in values.get(value.id, ())]
        known = [part for part in parts if part is not None]
        return _merge(known) if known and len(known) == len(parts) else None
    if isinstance(value, ast.Constant) and value.value is None:
        return None, ()  # `return None, None`: no row on that path
    load = row_load(value, values)
    if load is not None:
        return RowSource(load.model, load.locked), ()
    node = value.value if isinstance(value, ast.Await) else value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and is_model_name(node.func):
        return None, ()  # `User(tg_id=tg_id)`: a new row, beside the loaded one of `get_or_create`
    name = callee(node) if isinstance(node, ast.Call) else None
    return (None, (name,)) if name is not None and not is_generic(name) else None


def _merge(parts: list[_Part]) -> _Part:
    rows = [row for row, _ in parts if row is not None]
    row = RowSource(rows[0].model, any(r.locked for r in rows)) if rows else None
    return row, tuple(dict.fromkeys(call for _, calls in parts for call in calls))


def _combine(parts: list[_Part | None]) -> Returned | None:
    known = [part for part in parts if part is not None]
    if not known or len(known) != len(parts):
        return None
    row, calls = _merge(known)
    return Returned(row, calls) if row is not None or calls else None


def resolve(
    functions: Mapping[str, FunctionInfo], link: Callable[[str], str | None]
) -> dict[str, FunctionInfo]:
    """`functions` with `returns_row` / `returns_rows` settled (see the module doc); `link`:
    the project function a callee name denotes, as the call graph links it."""
    settled: dict[str, Settled] = {}
    pending: dict[str, FunctionInfo] = {}
    for name, info in functions.items():
        forwards = (info.returned and info.returned.calls) or any(
            item and item.calls for item in info.returned_items
        )
        if forwards:
            pending[name] = info
        else:
            settled[name] = _settle(info, lambda calls: [])

    def results(calls: tuple[str, ...]) -> list[Settled] | None:
        targets = [link(call) for call in calls]
        if any(target in pending for target in targets):
            raise _Wait
        if any(target is None for target in targets):
            return None
        return [settled.get(target) for target in targets if target is not None]

    for _ in range(_MAX_ROUNDS):
        ready: dict[str, Settled] = {}
        for name, info in pending.items():
            try:
                ready[name] = _settle(info, results)
            except _Wait:
                continue
        if not ready:
            break  # what is left returns each other's results: a cycle, or too long a chain
        settled.update(ready)
        for name in ready:
            del pending[name]
    result = dict(functions)
    for name, found in settled.items():
        if isinstance(found, RowSource):
            result[name] = replace(functions[name], returns_row=found)
        elif found is not None:
            result[name] = replace(functions[name], returns_rows=found)
    return result


class _Wait(Exception):
    """A callee is not settled yet."""


def _settle(info: FunctionInfo, results: Results) -> Settled:
    """A row (every `return` gives one), a tuple of rows, or None; `results`: what the
    callees return (None when one is not a project function)."""
    whole = info.returned
    if whole is not None:
        found = results(whole.calls) if whole.calls else []
        rows = [r for r in found or () if isinstance(r, RowSource)]
        if found is not None and len(rows) == len(found):
            joined = _join([*rows, *([whole.row] if whole.row else [])])
            if joined is not None:
                return joined
        tuples = [r for r in found or () if isinstance(r, tuple)]
        same_size = len({len(t) for t in tuples}) == 1
        if found and len(tuples) == len(found) and whole.row is None and same_size:
            return tuple(_join([t[i] for t in tuples]) for i in range(len(tuples[0])))
    items: list[RowSource | None] = []
    for item in info.returned_items:
        found = results(item.calls) if item is not None and item.calls else []
        rows = [r for r in found or () if isinstance(r, RowSource)]
        ok = item is not None and found is not None and len(rows) == len(found)
        items.append(_join([*rows, *([item.row] if item and item.row else [])]) if ok else None)
    return tuple(items) if any(items) else None


def _join(rows: list[RowSource | None]) -> RowSource | None:
    """One row for several loads of it: the first's model, locked when any load locks."""
    known = [row for row in rows if row is not None]
    if not known or len(known) != len(rows):
        return None
    return RowSource(known[0].model, any(row.locked for row in known))
