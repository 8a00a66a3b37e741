"""When a function looks at a response's status (or hands the response to code that may)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.semantic import FunctionNode
from prodready.rules.responses import first_body_read, status_checked


def _function(code: str) -> FunctionNode:
    node = ast.parse(textwrap.dedent(code)).body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


@pytest.mark.parametrize(
    ("code", "checked"),
    [
        ("def f(r):\n    return r.json()\n", False),
        ("def f(r):\n    r.raise_for_status()\n    return r.json()\n", True),
        (
            "def f(r):\n    if r.status_code != 200:\n        return None\n    return r.json()\n",
            True,
        ),
        ("async def f(r):\n    assert r.status == 200\n    return await r.json()\n", True),
        ("def f(r):\n    if not r:\n        return None\n    return r.json()\n", True),
        ("def f(r):\n    check(r)\n    return r.json()\n", True),
        (
            "def f(r):\n    d = r.json()\n    if not d.get('ok'):\n        raise E\n    return d\n",
            True,
        ),
        (
            "def f(r):\n    d = r.json()\n    if 'error' in d:\n        raise E\n    return d\n",
            True,
        ),
        ("def f(r):\n    if r.json()['ok']:\n        return 1\n", True),
        ("def f(r):\n    d = r.json()\n    return d['status']\n", False),
        ("def f(r):\n    d = r.json()\n    if d.get('items'):\n        return d\n", False),
    ],
)
def test_status_checked(code: str, checked: bool) -> None:
    assert status_checked("r", _function(code)) is checked


def test_first_body_read_is_in_source_order() -> None:
    function = _function("async def f(r):\n    a = await r.text()\n    b = await r.json()\n")
    first = first_body_read("r", function)
    assert first is not None and first.attr == "text"
