"""What a loop runs over and what runs once per item."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis import loops


def _loop(code: str) -> tuple[ast.For, dict[str, list[ast.expr]]]:
    function = ast.parse(f"async def f(items):\n    SMALL = [1, 2]\n    {code}").body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    loop = function.body[-1]
    assert isinstance(loop, ast.For)
    return loop, {"SMALL": [function.body[0].value]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("iterable", "expected"),
    [
        ("range(0, total, 100)", True),
        ("(User, Order)", True),
        ("Status", True),
        ("_PRESETS", True),
        ("self.TABLES", True),
        ("top[:5]", True),
        ("chunked(ids, 500)", True),
        ("enumerate(range(3))", True),
        ("periods.items()", False),
        ("SMALL", True),
        ("items", False),
        ("users.all()", False),
        ("enumerate(items)", False),
    ],
)
def test_few_or_paged(iterable: str, expected: bool) -> None:
    loop, values = _loop(f"for x in {iterable}:\n        pass")
    assert loops.few_or_paged(loop.iter, values) is expected


def test_body_nodes_skip_nested_loops_over_data_but_not_over_literals() -> None:
    loop, _ = _loop(
        "for x in items:\n"
        "        a = 1\n"
        "        for y in x.children:\n"
        "            b = 2\n"
        "        for z in ('p', 'q'):\n"
        "            c = 3\n"
    )
    names = {n.id for n in loops.body_nodes(loop) if isinstance(n, ast.Name)}
    assert {"a", "c"} <= names and "b" not in names


def test_item_names_include_enclosing_loops() -> None:
    outer, _ = _loop(
        "for user in items:\n        for tag in user.tags:\n            key = tag.id\n"
    )
    inner = outer.body[0]
    assert isinstance(inner, ast.For)
    assert loops.item_names(inner, [outer]) == {"user", "tag", "key"}


def test_bound_per_item_and_nearest_loop() -> None:
    loop, _ = _loop(
        "for user in items:\n"
        "        async with factory() as session:\n"
        "            row = await session.get(User, user.id)\n"
    )
    assert loops.bound_per_item(loop) == {"user", "session", "row"}
    function = ast.parse("def f():\n    for x in y:\n        def g():\n            pass\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    outer = function.body[0]
    assert isinstance(outer, ast.For)
    inner = outer.body[0]
    assert loops.nearest_loop([function, outer]) is outer
    assert loops.nearest_loop([function, outer, inner]) is None  # a def comes first


def test_item_names_stop_at_the_enclosing_function() -> None:
    module = ast.parse(
        "for user in users:\n"
        "    def render(rows):\n"
        "        for row in rows:\n"
        "            key = row.id\n"
    )
    outer = module.body[0]
    assert isinstance(outer, ast.For)
    function = outer.body[0]
    assert isinstance(function, ast.FunctionDef)
    inner = function.body[0]
    assert isinstance(inner, ast.For)
    assert loops.item_names(inner, [module, outer, function]) == {"row", "key"}


def test_bound_per_item_of_a_while_loop_is_what_its_body_assigns() -> None:
    loop = ast.parse("while True:\n    batch = await queue.get()\n    n = len(batch)\n").body[0]
    assert isinstance(loop, ast.While)
    assert loops.bound_per_item(loop) == {"batch", "n"}
