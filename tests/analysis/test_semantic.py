"""The semantic model as rules see it during the walk: names, async scope, loops, decorators."""

from __future__ import annotations

import ast
from collections.abc import Callable

import pytest

from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import SemanticModel
from prodready.analysis.walk import walk_with_ancestors


def _is_call_to(name: str) -> Callable[[ast.AST], bool]:
    return lambda node: isinstance(node, ast.Call) and dotted_name(node.func) == name


def _at(
    code: str,
    found: Callable[[ast.AST], bool],
    module: str = "app.mod",
    is_package: bool = False,
) -> tuple[SemanticModel, ast.AST]:
    """The model positioned at the first node `found` accepts, as the dispatcher leaves it."""
    tree = ast.parse(code)
    model = SemanticModel.build(tree, module, is_package)
    for node in walk_with_ancestors(tree, model.ancestors):
        if found(node):
            model.current = node
            return model, node
    raise AssertionError("no such node")


def _call(code: str, name: str = "target") -> tuple[SemanticModel, ast.Call]:
    model, node = _at(code, _is_call_to(name))
    assert isinstance(node, ast.Call)
    return model, node


# --- qualified names --------------------------------------------------------------------------


def test_qualified_name_of_a_call_through_an_alias() -> None:
    model, call = _call("import a.b as c\ndef f():\n    c.target()\n", "c.target")
    assert model.qualified_name(call.func) == "a.b.target"
    assert model.call_name(call) == "a.b.target"


def test_call_name_falls_back_to_the_dotted_text() -> None:
    model, call = _call(
        "class A:\n    def f(self):\n        self.client.target()\n", "self.client.target"
    )
    assert model.qualified_name(call.func) is None
    assert model.call_name(call) == "self.client.target"


def test_relative_import_from_a_package_init() -> None:
    code = "from .client import make\nfrom ..core import target\ntarget()\nmake()\n"
    model, call = _at(code, _is_call_to("target"), module="svc.api", is_package=True)
    assert isinstance(call, ast.Call)
    assert model.qualified_name(call.func) == "svc.core.target"
    make = ast.parse("make", mode="eval").body
    assert model.qualified_name(make) == "svc.api.client.make"


def test_builtin_and_unknown_names() -> None:
    model, call = _call("def f(session):\n    target(open, session.get, print)\n")
    opened, got, printed = call.args
    assert model.qualified_name(opened) == "open"
    assert model.qualified_name(printed) == "print"
    assert model.qualified_name(got) is None


@pytest.mark.parametrize(
    "code",
    [
        "def f(open):\n    target(open)\n",
        "def f(*open):\n    target(open)\n",
        "def f(**open):\n    target(open)\n",
        "def f():\n    open = make()\n    target(open)\n",
        "def f():\n    for open in items:\n        target(open)\n",
        "def f():\n    with make() as open:\n        target(open)\n",
        "def f():\n    try:\n        pass\n    except E as open:\n        target(open)\n",
        "def open():\n    pass\ntarget(open)\n",
        "open = make()\ntarget(open)\n",
        "async def f():\n    def open():\n        pass\n    target(open)\n",
        "g = lambda open: target(open)\n",
    ],
)
def test_a_local_binding_shadows_a_builtin(code: str) -> None:
    model, call = _call(code)
    assert model.qualified_name(call.args[0]) is None


@pytest.mark.parametrize(
    "code",
    [
        "import json\ndef f(json):\n    target(json.loads)\n",
        "import json\ndef f():\n    json = make()\n    target(json.loads)\n",
        "import json\ndef outer(json):\n    def inner():\n        target(json.loads)\n",
    ],
)
def test_a_local_binding_shadows_an_import(code: str) -> None:
    model, call = _call(code)
    assert model.qualified_name(call.args[0]) is None


@pytest.mark.parametrize(
    "code",
    [
        "import json\ndef f():\n    global json\n    json = make()\n    target(json.loads)\n",
        "import json\ndef f(x):\n    target(json.loads)\ndef g(json):\n    pass\n",
        "def f():\n    import json\n    target(json.loads)\n",
        "import json\nclass A:\n    json = None\n    def f(self):\n        target(json.loads)\n",
        "try:\n    import json\nexcept ImportError:\n    json = None\ntarget(json.loads)\n",
        "import json\ndef f(x=json):\n    pass\ntarget(json.loads)\n",
    ],
)
def test_an_import_still_resolves(code: str) -> None:
    model, call = _call(code)
    assert model.qualified_name(call.args[0]) == "json.loads"


def test_imports_in_different_functions_do_not_mix() -> None:
    code = (
        "from json import load\n"
        "def a():\n    from yaml import load\n    first(load)\n"
        "def b():\n    second(load)\n"
        "third(load)\n"
    )
    for call_name, expected in (
        ("first", "yaml.load"),
        ("second", "json.load"),
        ("third", "json.load"),
    ):
        model, call = _call(code, call_name)
        assert model.qualified_name(call.args[0]) == expected, call_name


def test_default_value_of_a_parameter_is_not_shadowed_by_it() -> None:
    model, call = _call("import json\ndef f(json=target(json.loads)):\n    pass\n")
    assert model.qualified_name(call.args[0]) == "json.loads"


def test_outside_the_walk_names_resolve_through_every_import() -> None:
    tree = ast.parse("def f():\n    import httpx\n    httpx.get(url)\n")
    model = SemanticModel.build(tree, "m", False)
    expr = ast.parse("httpx.get", mode="eval").body
    assert model.qualified_name(expr) == "httpx.get"


# --- where the node runs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("async def f():\n    target()\n", True),
        ("def f():\n    target()\n", False),
        ("target()\n", False),
        ("async def f():\n    def g():\n        target()\n", False),
        ("def f():\n    async def g():\n        target()\n", True),
        ("async def f():\n    g = lambda: target()\n", False),
        ("async def f():\n    return [target() for _ in range(3)]\n", True),
        ("async def f():\n    class Local:\n        value = target()\n", True),
        ("async def f():\n    def g(x=target()):\n        pass\n", True),
        ("async def f():\n    @target()\n    def g():\n        pass\n", True),
        ("def f():\n    @target()\n    async def g():\n        pass\n", False),
        ("class A:\n    async def f(self):\n        target()\n", True),
    ],
)
def test_in_async_function(code: str, expected: bool) -> None:
    model, _ = _call(code)
    assert model.in_async_function() is expected


def test_enclosing_function() -> None:
    model, _ = _call("async def outer():\n    def inner():\n        target()\n")
    function = model.enclosing_function()
    assert isinstance(function, ast.FunctionDef) and function.name == "inner"
    model, _ = _call("async def outer():\n    def inner(x=target()):\n        pass\n")
    function = model.enclosing_function()
    assert isinstance(function, ast.AsyncFunctionDef) and function.name == "outer"
    model, _ = _call("def f():\n    g = lambda: target()\n")
    assert model.enclosing_function() is None
    model, _ = _call("target()\n")
    assert model.enclosing_function() is None


def test_enclosing_class() -> None:
    model, _ = _call("class A:\n    def f(self):\n        target()\n")
    found = model.enclosing_class()
    assert found is not None and found.name == "A"
    model, _ = _call("class A(target()):\n    pass\n")
    assert model.enclosing_class() is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("for x in xs:\n    target()\n", True),
        ("for x in target():\n    pass\n", False),
        ("async def f():\n    async for x in target():\n        pass\n", False),
        ("async def f():\n    async for x in xs:\n        target()\n", True),
        ("for x in xs:\n    pass\nelse:\n    target()\n", False),
        ("while target():\n    pass\n", True),
        ("while True:\n    if x:\n        target()\n", True),
        ("while x:\n    pass\nelse:\n    target()\n", False),
        ("target()\n", False),
        ("for x in xs:\n    def f():\n        target()\n", False),
        ("for x in xs:\n    f = lambda: target()\n", False),
        ("for x in xs:\n    @target()\n    def f():\n        pass\n", True),
        ("for x in xs:\n    class A:\n        v = target()\n", True),
        ("ys = [target(x) for x in xs]\n", True),
        ("ys = [x for x in target()]\n", False),
        ("ys = [y for x in xs for y in target(x)]\n", True),
        ("ys = {x: target() for x in xs if x}\n", True),
        ("ys = [x for x in xs if target(x)]\n", True),
        ("for x in xs:\n    ys = [y for y in target()]\n", True),
    ],
)
def test_in_loop(code: str, expected: bool) -> None:
    model, _ = _call(code)
    assert model.in_loop() is expected


def test_parent_is_the_direct_parent() -> None:
    model, _ = _call("x = target()\n")
    assert isinstance(model.parent, ast.Assign)


# --- decorators and bases ---------------------------------------------------------------------


def test_decorator_and_base_names() -> None:
    code = (
        "from aiogram import Router\n"
        "import tenacity as t\n"
        "from sqlalchemy.orm import DeclarativeBase\n"
        "router = Router()\n"
        "@router.message(F.text)\n"
        "@t.retry(stop=t.stop_after_attempt(3))\n"
        "@staticmethod\n"
        "async def handler(message):\n"
        "    pass\n"
        "class Base(DeclarativeBase, mixins.Audit, make()):\n"
        "    pass\n"
    )
    model, node = _at(code, lambda n: isinstance(n, ast.AsyncFunctionDef))
    assert isinstance(node, ast.AsyncFunctionDef)
    assert model.decorator_names(node) == ("router.message", "tenacity.retry", "staticmethod")
    model, node = _at(code, lambda n: isinstance(n, ast.ClassDef))
    assert isinstance(node, ast.ClassDef)
    assert model.base_names(node) == ("sqlalchemy.orm.DeclarativeBase", "mixins.Audit")
