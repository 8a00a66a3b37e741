"""Blocking calls beyond ruff: what a file can block on, given what it imports."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.walk import walk_with_ancestors
from prodready.rules.blocking import BlockingMatcher


def _labels(code: str) -> list[str]:
    tree = ast.parse(textwrap.dedent(code))
    model = SemanticModel.build(tree, "app.mod", False)
    matcher = BlockingMatcher(model.imports.bindings.values())
    found = []
    for node in walk_with_ancestors(tree, model.ancestors):
        model.current = node
        if isinstance(node, ast.Call) and (blocking := matcher.match(node, model)):
            found.append(blocking.label)
    return found


def test_a_file_that_imports_none_of_them_is_not_relevant() -> None:
    assert not BlockingMatcher(["aiogram.Router", "redis.asyncio", "sqlalchemy.select"]).relevant
    assert BlockingMatcher(["redis"]).relevant
    assert BlockingMatcher(["sqlalchemy.orm.Session"]).relevant


@pytest.mark.parametrize(
    ("code", "labels"),
    [
        ("import sqlite3\nasync def f():\n    c = sqlite3.connect('x')\n", ["`sqlite3.connect`"]),
        (
            "import redis\nr = redis.Redis()\nasync def f():\n    r.get('k')\n    r.pipeline()\n",
            ["`r.get` on a sync `redis.Redis`"],
        ),
        ("import redis.asyncio as r\nc = r.Redis()\nasync def f():\n    await c.get('k')\n", []),
        (
            "import boto3\nasync def f():\n    boto3.client('s3').upload_file('a', 'b', 'c')\n",
            ["`boto3.client('s3').upload_file` on a sync `boto3.client`"],
        ),
        (
            "from sqlalchemy.orm import sessionmaker\n"
            "from sqlalchemy.ext.asyncio import AsyncSession\n"
            "S = sessionmaker(class_=AsyncSession)\nasync def f():\n    S()\n",
            [],
        ),
        (
            "from sqlalchemy.orm import sessionmaker\n"
            "S = sessionmaker()\nasync def f():\n    S()\n",
            ["`S()` (a sync `sessionmaker`)"],
        ),
        ("import bcrypt\nasync def f(p, s):\n    bcrypt.checkpw(p, s)\n", ["`bcrypt.checkpw`"]),
        ("import hashlib\nasync def f(d):\n    hashlib.sha256(d)\n", []),
        ("from PIL import Image\nasync def f():\n    Image.new('RGB', (1, 1)).save('x')\n", []),
    ],
)
def test_blocking_calls(code: str, labels: list[str]) -> None:
    assert _labels(code) == labels
