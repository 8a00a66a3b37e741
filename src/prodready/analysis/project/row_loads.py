"""Rows loaded in another module: the ORM object a call returns when it reaches a project
function whose every `return` is a query's row — `sub = await self._subscriptions.get_by_user(
uid)` in a service, the repository in `db/repositories/` doing `session.execute(select(...))`.

Which functions return a row is a file fact (`FunctionInfo.returns_row`, from `calls.extract`),
so following a call costs one resolution and one lookup: no module is read again.
"""

from __future__ import annotations

import ast

from prodready.analysis.orm import Remote, RowLoad
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.calls import callee_names
from prodready.analysis.project.model import FunctionInfo
from prodready.analysis.project.row_returns import is_generic


def may_rewrite_a_row(code: Code, info: FunctionInfo) -> bool:
    """The function writes a column from its own value and persists it (`rewrites_row`), and
    loads a row itself or calls a project function that returns one — known from the file
    facts, so no other function's file is read."""
    if not info.rewrites_row:
        return False
    functions = code.project.calls.functions
    return info.loads_row or any(
        (target := code.resolve(call)) is not None
        and (functions[target].returns_row is not None or any(functions[target].returns_rows))
        for call in info.calls
        if not is_generic(call)
    )


def remote_loads(code: Code, body: Body) -> Remote:
    """The row a call of `body`'s own code loads through another project function, if any,
    or the rows at each item of the tuple it returns (`user, created = await get_or_create(
    ...)`)."""
    calls = code.project.calls
    owner = calls.classes.get(body.name.rsplit(".", 1)[0])
    names = callee_names(body.parsed, body.node, owner)

    def load(call: ast.Call) -> RowLoad | tuple[RowLoad | None, ...] | None:
        callee = names.get(id(call))
        target = code.resolve(callee) if callee is not None and not is_generic(callee) else None
        if target is None:
            return None
        info = calls.functions[target]
        if info.returns_rows:
            return tuple(RowLoad(s.model, s.locked, call) if s else None for s in info.returns_rows)
        source = info.returns_row
        return RowLoad(source.model, source.locked, call) if source is not None else None

    return load
