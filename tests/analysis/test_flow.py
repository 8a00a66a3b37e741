"""Control-flow facts: suspension points, re-raises, what runs last, what a function cancels."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis import flow


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _statements(code: str) -> list[ast.stmt]:
    return ast.parse(code).body


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("await x()", True),
        ("async with lock:\n    pass", True),
        ("async for i in source:\n    pass", True),
        ("items = [i async for i in source]", True),
        ("x = task.result()", False),
        ("async def inner():\n    await x()", False),  # a nested def does not suspend here
        ("f = lambda: x()", False),
    ],
)
def test_suspends(code: str, expected: bool) -> None:
    assert flow.suspends(_statements(code)) is expected


def _handler(code: str) -> ast.ExceptHandler:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.Try)
    return node.handlers[0]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("try:\n    pass\nexcept E:\n    raise\n", (True, False)),
        ("try:\n    pass\nexcept E as e:\n    raise e\n", (True, False)),
        ("try:\n    pass\nexcept E as e:\n    raise Other() from e\n", (False, True)),
        ("try:\n    pass\nexcept E:\n    if x:\n        raise\n", (True, False)),
        ("try:\n    pass\nexcept E:\n    def f():\n        raise\n", (False, False)),
        ("try:\n    pass\nexcept E:\n    log()\n", (False, False)),
    ],
)
def test_raises_in(code: str, expected: tuple[bool, bool]) -> None:
    assert flow.raises_in(_handler(code)) == expected


def _path_to_try(code: str) -> tuple[ast.Try, list[ast.AST]]:
    """The first `try` statement and its ancestors, root first."""
    tree = ast.parse(code)
    stack: list[tuple[ast.AST, list[ast.AST]]] = [(tree, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, ast.Try):
            return node, path
        stack.extend((child, [*path, node]) for child in reversed(list(ast.iter_child_nodes(node))))
    raise AssertionError("no try")


TRY = "{i}try:\n{i}    await x()\n{i}except E:\n{i}    pass\n"


@pytest.mark.parametrize(
    ("code", "leaves_loop", "expected"),
    [
        ("async def f():\n" + TRY.format(i="    "), False, True),
        ("async def f():\n" + TRY.format(i="    ") + "    done()\n", False, False),
        ("async def f():\n    if a:\n" + TRY.format(i="        "), False, True),
        ("async def f():\n    while True:\n" + TRY.format(i="        "), False, False),
        ("async def f():\n    while True:\n" + TRY.format(i="        "), True, True),
        (
            "async def f():\n    while True:\n" + TRY.format(i="        ") + "    after()\n",
            True,
            False,
        ),
        (
            "async def f():\n    with a:\n" + TRY.format(i="        ") + "        b()\n",
            False,
            False,
        ),
        (TRY.format(i=""), False, False),  # module level: not a function's end
    ],
)
def test_runs_last(code: str, leaves_loop: bool, expected: bool) -> None:
    statement, path = _path_to_try(code)
    assert flow.runs_last(statement, path, leaves_loop=leaves_loop) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "async def f(t):\n    t.cancel()\n"
            "    try:\n        await t\n    except E:\n        pass\n",
            True,
        ),
        (
            "async def f(self):\n    for t in self.tasks:\n        t.cancel()\n"
            "    try:\n        await asyncio.gather(*self.tasks)\n    except E:\n        pass\n",
            True,
        ),
        (
            "async def f(tasks):\n    [t.cancel() for t in tasks]\n"
            "    try:\n        await asyncio.wait(tasks)\n    except E:\n        pass\n",
            True,
        ),
        (
            "async def f(t, u):\n    u.cancel()\n"
            "    try:\n        await t\n    except E:\n        pass\n",
            False,
        ),
        ("async def f(t):\n    try:\n        await t\n    except E:\n        pass\n", False),
    ],
)
def test_awaits_cancelled(code: str, expected: bool) -> None:
    function = _function(code)
    statement = function.body[-1]
    assert isinstance(statement, ast.Try)
    assert flow.awaits_cancelled(statement.body, function) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("asyncio.current_task().uncancel()", True),
        ("task.uncancel()", True),
        ("asyncio.current_task().cancel()", True),
        ("other.cancel()", False),
        ("log(asyncio.current_task().get_name())", False),
    ],
)
def test_recancels(code: str, expected: bool) -> None:
    assert flow.recancels(_statements(code)) is expected


def test_spawned_names() -> None:
    tree = ast.parse(
        "asyncio.create_task(worker())\n"
        "loop.create_task(self._poll(1))\n"
        "tg.start_soon(run, 2)\n"
        "await scheduler.spawn(job())\n"
        "asyncio.ensure_future(fut)\n"
        "other(helper())\n"
    )
    assert flow.spawned_names(tree) == {"worker", "_poll", "run", "job", "fut"}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "async def f(items):\n    errors = []\n    for it in items:\n        try:\n"
            "            await it.close()\n        except BaseException as exc:\n"
            "            errors.append(exc)\n    if errors:\n        raise errors[0]\n",
            True,
        ),
        (
            "async def f(self):\n    try:\n        await x()\n    except BaseException as exc:\n"
            "        self.error = exc\n    if self.error:\n        raise self.error\n",
            True,
        ),
        (
            "async def f(items):\n    errors = []\n    try:\n        await x()\n"
            "    except BaseException as exc:\n        errors.append(exc)\n    return errors\n",
            False,
        ),
        (
            "async def f():\n    try:\n        await x()\n    except BaseException:\n"
            "        pass\n    raise Other()\n",
            False,
        ),
    ],
)
def test_raised_later(code: str, expected: bool) -> None:
    function = _function(code)
    handler = next(n for n in ast.walk(function) if isinstance(n, ast.ExceptHandler))
    assert flow.raised_later(handler, function) is expected
