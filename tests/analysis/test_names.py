"""Import bindings: what qualified name an expression gets from the imports of its module."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis.names import ImportTable, dotted_name, resolve_relative
from prodready.analysis.walk import iter_statements


def _table(code: str, module: str = "app.mod", is_package: bool = False) -> ImportTable:
    return ImportTable.of(iter_statements(ast.parse(code)), module, is_package)


def _name(table: ImportTable, expr: str) -> str | None:
    return table.qualified_name(ast.parse(expr, mode="eval").body)


@pytest.mark.parametrize(
    ("code", "expr", "expected"),
    [
        ("import aiohttp", "aiohttp.ClientSession", "aiohttp.ClientSession"),
        ("import a.b as c", "c.d", "a.b.d"),
        ("import a.b as c", "c", "a.b"),
        ("import a.b", "a.b.c", "a.b.c"),
        ("import a.b", "a", "a"),
        ("import a.b\nimport a.c", "a.c.f", "a.c.f"),
        ("from x import y as z", "z.w", "x.y.w"),
        ("from x import y as z", "y", None),
        ("from aiohttp import web", "web.Application", "aiohttp.web.Application"),
        ("from x.y import z", "z", "x.y.z"),
        ("from x import *", "anything", None),
        ("from compat import json\nimport json", "json.loads", "json.loads"),
        ("import json\nfrom compat import json", "json.loads", "compat.json.loads"),
        ("import os", "os.path.join", "os.path.join"),
    ],
)
def test_absolute_imports(code: str, expr: str, expected: str | None) -> None:
    assert _name(_table(code), expr) == expected


@pytest.mark.parametrize(
    ("code", "module", "is_package", "expr", "expected"),
    [
        ("from . import m", "pkg.mod", False, "m.f", "pkg.m.f"),
        ("from .m import f", "pkg.mod", False, "f", "pkg.m.f"),
        ("from .. import m", "pkg.sub.mod", False, "m", "pkg.m"),
        ("from ..other import y", "pkg.sub.mod", False, "y", "pkg.other.y"),
        ("from . import m", "pkg.sub", True, "m", "pkg.sub.m"),
        ("from .m import f", "pkg.sub", True, "f", "pkg.sub.m.f"),
        ("from ..other import y", "pkg.sub", True, "y", "pkg.other.y"),
        ("from . import m", "pkg", True, "m", "pkg.m"),
        ("from . import m", "script", False, "m", "m"),
        ("from .... import m", "pkg.mod", False, "m", "m"),
    ],
)
def test_relative_imports(
    code: str, module: str, is_package: bool, expr: str, expected: str
) -> None:
    assert _name(_table(code, module, is_package), expr) == expected


def test_builtins_are_their_own_name_and_unknown_names_are_none() -> None:
    table = _table("import aiohttp")
    assert _name(table, "open") == "open"
    assert _name(table, "print") == "print"
    assert _name(table, "session.get") is None
    assert _name(table, "self.client.get") is None
    assert _name(table, "f().get") is None


def test_dotted_name() -> None:
    assert dotted_name(ast.parse("a.b.c", mode="eval").body) == "a.b.c"
    assert dotted_name(ast.parse("a().b", mode="eval").body) is None
    assert dotted_name(ast.parse("a" + ".b" * 2000, mode="eval").body) == "a" + ".b" * 2000


def test_resolve_relative_beyond_the_top_does_not_raise() -> None:
    assert resolve_relative("pkg.mod", False, 5, "x") == "x"


def test_imports_module() -> None:
    table = _table("from aiogram import Bot\nimport httpx")
    assert table.imports_module("aiogram")
    assert table.imports_module("httpx")
    assert not table.imports_module("aio")
