"""Shared call matchers: tenacity's arguments by keyword or position, `*args`, call labels."""

from __future__ import annotations

import ast

import pytest

from prodready.rules.matchers import call_label, has_star_args, tenacity_argument


def _call(code: str) -> ast.Call:
    node = ast.parse(code, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("retry(stop=s, wait=w)", "stop", "s"),
        ("retry(stop=s, wait=w)", "wait", "w"),
        ("retry(reraise=True)", "stop", None),
        ("Retrying(sleep, s, w)", "stop", "s"),
        ("Retrying(sleep, s, w)", "wait", "w"),
        ("Retrying(sleep, s)", "wait", None),
        ("retry(fn)", "stop", None),
        ("retry(fn)", "sleep", None),
        ("retry(x, retry=r)", "retry", "r"),
    ],
)
def test_tenacity_argument(code: str, name: str, expected: str | None) -> None:
    found = tenacity_argument(_call(code), name)
    assert (ast.unparse(found) if found is not None else None) == expected


def test_has_star_args() -> None:
    assert has_star_args(_call("f(*policy)"))
    assert not has_star_args(_call("f(a, b=c, **kw)"))


def test_call_label_says_whether_the_call_decorates() -> None:
    function = ast.parse("@backoff.on_exception(x, y)\ndef f(): pass\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    decorator = function.decorator_list[0]
    assert isinstance(decorator, ast.Call)
    assert call_label(decorator, function) == "@backoff.on_exception(...)"
    assert call_label(_call("httpx.get(url)"), None) == "httpx.get(...)"
    assert call_label(_call("make()()"), None) == "...(...)"
