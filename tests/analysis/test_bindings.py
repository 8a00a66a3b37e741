"""What a name or `self.attr` holds: every binding in its scope must agree, else unknown."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis.bindings import binding_scope, is_read, origin
from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import SemanticModel
from prodready.analysis.walk import walk_with_ancestors


def _origin_at_target(code: str) -> str | None:
    """The origin of the first argument of the first `target(...)` call, as a rule sees it."""
    tree = ast.parse(code)
    model = SemanticModel.build(tree, "app.mod", False)
    for node in walk_with_ancestors(tree, model.ancestors):
        if isinstance(node, ast.Call) and dotted_name(node.func) == "target":
            model.current = node
            return origin(node.args[0], model)
    raise AssertionError("no target(...) call")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "import httpx\ndef f():\n    c = httpx.AsyncClient()\n    target(c)\n",
            "httpx.AsyncClient",
        ),
        (
            "import aiohttp\nasync def f():\n"
            "    async with aiohttp.ClientSession() as s:\n        target(s)\n",
            "aiohttp.ClientSession",
        ),
        ("import httpx as h\nc = h.Client()\ndef f():\n    target(c)\n", "httpx.Client"),
        (
            "import asyncio\nasync def f():\n"
            "    loop = asyncio.get_running_loop()\n    target(loop)\n",
            "asyncio.get_running_loop",
        ),
        ("import httpx\ndef f(c: httpx.AsyncClient):\n    target(c)\n", "httpx.AsyncClient"),
        ("import httpx\ndef f(c: 'httpx.AsyncClient'):\n    target(c)\n", "httpx.AsyncClient"),
        (
            "import httpx\nfrom typing import Optional\n"
            "c: Optional[httpx.AsyncClient] = None\ndef f():\n    target(c)\n",
            "httpx.AsyncClient",
        ),
        (
            "import httpx\nc: httpx.Client | None = None\n"
            "def start():\n    global c\n    c = httpx.Client()\ndef f():\n    target(c)\n",
            "httpx.Client",
        ),
        (
            "import httpx\ndef f():\n    c = None\n"
            "    if x:\n        c = httpx.Client()\n    target(c)\n",
            "httpx.Client",
        ),
        (
            "import httpx\ndef outer():\n    c = httpx.Client()\n"
            "    def inner():\n        target(c)\n",
            "httpx.Client",
        ),
        (
            "import httpx\nclass A:\n    def __init__(self):\n"
            "        self.c = httpx.AsyncClient()\n"
            "    async def f(self):\n        target(self.c)\n",
            "httpx.AsyncClient",
        ),
        (
            "import httpx\nclass A:\n    c: httpx.AsyncClient\n"
            "    async def f(self):\n        target(self.c)\n",
            "httpx.AsyncClient",
        ),
    ],
)
def test_known_origin(code: str, expected: str) -> None:
    assert _origin_at_target(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "def f(c):\n    target(c)\n",  # a parameter without annotation
        "import httpx\ndef f():\n    c = await make()\n    target(c)\n",
        "import httpx\ndef f():\n    c = httpx.Client()\n    c = other()\n    target(c)\n",
        "import httpx\ndef f():\n    c, d = httpx.Client(), 1\n    target(c)\n",
        "import httpx\ndef f():\n    for c in clients:\n        target(c)\n",
        "import httpx\ndef f():\n    c = httpx.Client()\n    c += 1\n    target(c)\n",
        "import httpx\ndef f(c: httpx.Client):\n    c = other()\n    target(c)\n",
        "import httpx\nc = httpx.Client()\ndef g():\n    global c\n    c = other()\n"
        "def f():\n    target(c)\n",
        "import httpx\nc = httpx.Client()\ndef f():\n    c = other()\n    target(c)\n",
        "import httpx\ndef f():\n    target(httpx)\n",  # an import, not a value
        "def f():\n    target(q)\n",  # unbound
        "def f():\n    target(make().c)\n",
        "import httpx\nclass A:\n    def __init__(self):\n        self.c = httpx.Client()\n"
        "    def reset(self):\n        self.c = other()\n"
        "    def f(self):\n        target(self.c)\n",
        "import httpx\nclass A:\n    def __init__(self):\n        self.c = httpx.Client()\n"
        "    def f(self, other):\n        target(other.c)\n",
        "import httpx\nclass A:\n    def __init__(self):\n"
        "        self.c, self.d = httpx.Client(), 1\n"
        "    def f(self):\n        target(self.c)\n",
    ],
)
def test_unknown_origin(code: str) -> None:
    assert _origin_at_target(code) is None


def test_binding_scope_is_the_innermost_function_that_binds_the_name() -> None:
    code = "def outer():\n    c = 1\n    def inner():\n        target(c)\n"
    tree = ast.parse(code)
    model = SemanticModel.build(tree, "app.mod", False)
    for node in walk_with_ancestors(tree, model.ancestors):
        if isinstance(node, ast.Call):
            model.current = node
            scope = binding_scope("c", model)
            assert isinstance(scope, ast.FunctionDef) and scope.name == "outer"
            return
    raise AssertionError("no call")


def test_is_read_sees_closures_but_not_stores() -> None:
    function = ast.parse("def f():\n    t = g()\n    def cb():\n        return u\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    assert not is_read("t", function)
    assert is_read("u", function)
