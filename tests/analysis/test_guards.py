"""Which awaits of a loop body an exception escapes from, and which loops run forever."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.guards import handles_some, is_forever, unguarded_awaits


def _body(code: str) -> list[ast.stmt]:
    return ast.parse(textwrap.dedent(code)).body


@pytest.mark.parametrize(
    ("test", "forever"),
    [
        ("True", True),
        ("1", True),
        ("self.running", True),
        ("not stop.is_set()", True),
        ("not self._closed", True),
        ("self.is_running() and not stop.is_set()", True),
        ("attempts < 3", False),
        ("queue", False),
        ("0", False),
    ],
)
def test_is_forever(test: str, forever: bool) -> None:
    assert is_forever(ast.parse(test, mode="eval").body) is forever


@pytest.mark.parametrize(
    ("code", "escaping"),
    [
        ("await work()\nawait asyncio.sleep(1)", ["work()"]),
        ("try:\n    await work()\nexcept Exception:\n    log()\nawait asyncio.sleep(1)", []),
        ("try:\n    await work()\nexcept (ValueError, Exception):\n    pass", []),
        ("try:\n    await work()\nexcept:\n    pass", []),
        ("try:\n    await work()\nexcept ValueError:\n    pass", ["work()"]),
        ("try:\n    await work()\nexcept Exception:\n    raise", ["work()"]),
        ("try:\n    await work()\nexcept Exception:\n    await report()", ["report()"]),
        ("item = await queue.get()\nawait stop.wait()", []),
        ("await self.retry_queue.put(item)", []),
        ("await asyncio.wait_for(stop.wait(), 5)", []),
        ("async with self._lock:\n    pass", []),
        ("async def inner():\n    await work()", []),
    ],
)
def test_unguarded_awaits(code: str, escaping: list[str]) -> None:
    found = unguarded_awaits(_body(code))
    assert [ast.unparse(n.value) for n in found if isinstance(n, ast.Await)] == escaping


def test_handles_some() -> None:
    assert handles_some(_body("try:\n    await f()\nexcept ValueError:\n    pass"))
    assert not handles_some(_body("try:\n    await f()\nfinally:\n    close()"))
