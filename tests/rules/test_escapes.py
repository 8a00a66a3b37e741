"""Where a re-raised exception goes next: the `try` statements around a call site."""

from __future__ import annotations

import ast

from prodready.rules.escapes import tries_around


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _calls(function: ast.AsyncFunctionDef, name: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name
    ]


CODE = """
async def handler():
    try:
        try:
            await inner()
        except ValueError:
            await in_handler()
    except Exception:
        pass
    await outside()
    asyncio.create_task(spawned())
    def nested():
        hidden()
"""


def test_tries_around_innermost_first() -> None:
    function = _function(CODE)
    inner, in_handler, outside = (
        _calls(function, n)[0] for n in ("inner", "in_handler", "outside")
    )
    found = tries_around(function, {id(inner), id(in_handler), id(outside)})
    outer = function.body[0]
    assert isinstance(outer, ast.Try)
    assert [t.lineno for t in found[id(inner)]] == [4, 3]
    assert found[id(in_handler)] == (outer,)  # a handler's code is guarded by the outer try only
    assert found[id(outside)] == ()


def test_tries_around_leaves_out_spawned_and_nested_calls() -> None:
    function = _function(CODE)
    spawned, hidden = _calls(function, "spawned")[0], _calls(function, "hidden")[0]
    assert tries_around(function, {id(spawned), id(hidden)}) == {}
