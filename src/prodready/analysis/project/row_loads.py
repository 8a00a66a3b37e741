"""Rows loaded in another module: the ORM object a call returns when it reaches a project
function whose every `return` is a query's row — `sub = await self._subscriptions.get_by_user(
uid)` in a service, the repository in `db/repositories/` doing `session.execute(select(...))`.

Which functions return a row is a file fact (`FunctionInfo.returns_row`, from `calls.extract`),
so following a call costs one resolution and one lookup: no module is read again.
"""

from __future__ import annotations

import ast
import re

from prodready.analysis.orm import Remote, RowLoad
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.calls import callee_names
from prodready.analysis.project.model import FunctionInfo

# An untyped receiver's method linked by its name alone: `get`, `first`, `fetch` are also
# dict, cache and HTTP-client methods, so only a compound name (`get_by_user`) is trusted.
_GENERIC = re.compile(r"^_*[a-z]+$")


def may_rewrite_a_row(code: Code, info: FunctionInfo) -> bool:
    """The function writes a column from its own value and persists it (`rewrites_row`), and
    loads a row itself or calls a project function that returns one — known from the file
    facts, so no other function's file is read."""
    if not info.rewrites_row:
        return False
    functions = code.project.calls.functions
    return info.loads_row or any(
        (target := code.resolve(call)) is not None and functions[target].returns_row is not None
        for call in info.calls
        if not (call.startswith("*.") and _GENERIC.match(call[2:]))
    )


def remote_loads(code: Code, body: Body) -> Remote:
    """The row a call of `body`'s own code loads through another project function, if any."""
    calls = code.project.calls
    owner = calls.classes.get(body.name.rsplit(".", 1)[0])
    names = callee_names(body.parsed, body.node, owner)

    def load(call: ast.Call) -> RowLoad | None:
        callee = names.get(id(call))
        if callee is None or (callee.startswith("*.") and _GENERIC.match(callee[2:])):
            return None
        target = code.resolve(callee)
        source = calls.functions[target].returns_row if target is not None else None
        return RowLoad(source.model, source.locked, call) if source is not None else None

    return load
