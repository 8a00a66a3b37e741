from __future__ import annotations

import ast

from prodready.analysis.reaching import Bindings


def _function(text: str) -> ast.AsyncFunctionDef:
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _line(function: ast.AST, number: int) -> ast.stmt:
    return next(n for n in ast.walk(function) if isinstance(n, ast.stmt) and n.lineno == number)


def test_the_binding_of_the_enclosing_block_reaches_not_a_sibling_branch() -> None:
    function = _function(
        "async def f(session, uid):\n"  # 1
        "    sub = await load(uid)\n"  # 2
        "    if sub is None:\n"  # 3
        "        sub = Sub(uid=uid)\n"  # 4
        "        sub.status = 'new'\n"  # 5
        "    else:\n"  # 6
        "        sub.status = 'active'\n"  # 7
    )
    bindings = Bindings.of(function)
    in_if = bindings.reaching("sub", _line(function, 5))
    in_else = bindings.reaching("sub", _line(function, 7))
    assert in_if is not None and in_if.line == 4
    assert in_else is not None and in_else.line == 2


def test_parameters_loops_and_with_targets() -> None:
    function = _function(
        "async def f(order: Order):\n"
        "    for item in order.items:\n"
        "        item.status = 'x'\n"
        "    async with lock() as held:\n"
        "        held.release()\n"
        "    order.status = 'y'\n"
    )
    bindings = Bindings.of(function)
    assert bindings.reaching("item", _line(function, 3)).kind == "for"  # type: ignore[union-attr]
    assert bindings.reaching("held", _line(function, 5)).kind == "with"  # type: ignore[union-attr]
    parameter = bindings.reaching("order", _line(function, 6))
    assert parameter is not None and parameter.kind == "param"
    assert ast.unparse(parameter.value) == "Order"  # type: ignore[arg-type]
    assert bindings.reaching("unknown", _line(function, 6)) is None


def test_a_later_binding_does_not_reach_back() -> None:
    function = _function("async def f():\n    use(x)\n    x = 1\n")
    assert Bindings.of(function).reaching("x", _line(function, 2)) is None


def test_exclusive_branches_of_one_if() -> None:
    function = _function(
        "async def f(session, uid):\n"  # 1
        "    sub = await load(uid)\n"  # 2
        "    if sub is None:\n"  # 3
        "        sub = Sub(uid=uid)\n"  # 4
        "    elif sub.paused:\n"  # 5
        "        sub.days += 1\n"  # 6
        "    else:\n"  # 7
        "        sub.days += 2\n"  # 8
        "    sub.seen = 1\n"  # 9
    )
    bindings = Bindings.of(function)
    fresh = _line(function, 4)
    assert bindings.exclusive(fresh, _line(function, 6))
    assert bindings.exclusive(_line(function, 8), fresh)
    assert bindings.exclusive(_line(function, 6), _line(function, 8))
    assert not bindings.exclusive(fresh, _line(function, 9))
    assert not bindings.exclusive(_line(function, 2), _line(function, 8))
