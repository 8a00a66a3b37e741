"""analysis/dead_code: vulture's certain unreachable code, nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from prodready.analysis.dead_code import (
    DeadCodeError,
    Unreachable,
    may_hold_unreachable_code,
    unreachable_code,
)
from prodready.config.settings import Settings
from prodready.engine.run import run_review
from prodready.rules.registry import discover


def test_code_after_return_and_raise_is_reported_with_its_span() -> None:
    text = (
        "def f(x):\n"
        "    return x\n"
        "    print(x)\n"
        "    print(x)\n"
        "def g():\n"
        "    raise ValueError\n"
        "    g()\n"
    )
    assert unreachable_code(text, "m.py") == [
        Unreachable(3, 4, "unreachable code after 'return'"),
        Unreachable(7, 7, "unreachable code after 'raise'"),
    ]


def test_unused_names_and_redundant_conditions_are_not_reported() -> None:
    text = "import os\n\ndef f(unused):\n    if True:\n        return 1\n"
    assert unreachable_code(text, "m.py") == []


def test_the_empty_generator_idiom_is_not_reported() -> None:
    text = "def f():\n    return\n    yield\n\ndef g():\n    if False:\n        yield None\n"
    assert unreachable_code(text, "m.py") == []


def test_text_vulture_cannot_analyse_raises_a_one_line_error() -> None:
    with pytest.raises(DeadCodeError, match=r"m\.py"):
        unreachable_code("x = 1  # type: int(\n", "m.py")


def test_deep_generated_expressions_are_analysed() -> None:
    text = "def f():\n    return 1\n    x = " + " + ".join(["1"] * 3000) + "\n"
    assert unreachable_code(text, "m.py") == [Unreachable(3, 3, "unreachable code after 'return'")]


def test_a_vulture_failure_is_a_note_not_a_traceback(tmp_path: Path) -> None:
    bad = "def f():\n    return 1\n    x = 1  # type: int(\n"  # vulture reads type comments
    (tmp_path / "bad.py").write_text(bad, encoding="utf-8")
    settings = Settings(select=("QUAL005",), respect_gitignore=False)
    raw = run_review([tmp_path], settings, discover())
    assert not raw.findings
    assert [n.kind.value for n in raw.notes] == ["rule-error"]
    assert "QUAL005" in raw.notes[0].message


def test_vulture_runs_only_where_unreachable_code_may_be() -> None:
    def may(text: str) -> bool:
        return may_hold_unreachable_code(ast.parse(text))

    assert may("def f():\n    return 1\n    g()\n")
    assert may("if False:\n    g()\n")
    assert may("while True:\n    g()\nh()\n")  # after an endless loop
    assert may("while True:\n    for i in y:\n        break\nh()\n")  # that break is the for's
    assert may("while True:\n    g()\nelse:\n    h()\n")
    assert may("while False:\n    g()\n")
    assert not may("while True:\n    g()\n")  # a service loop: nothing after it
    assert not may("while True:\n    if stop:\n        break\nh()\n")
    assert may("def f():\n    try:\n        return g()\n    except E:\n        raise\n    h()\n")
    assert not may("def f(x):\n    if x:\n        return 1\n    return 2\n")
    assert not may("while running:\n    g()\n")


def test_the_source_text_spares_the_expression_walk() -> None:
    ternary = "x = a if True else b\n"
    assert may_hold_unreachable_code(ast.parse(ternary), ternary)
    assert may_hold_unreachable_code(ast.parse(ternary))  # no text: every expression is walked
    plain = "x = a if ready else b\n"
    assert not may_hold_unreachable_code(ast.parse(plain), plain)
    handler = "try:\n    g()\nexcept E:\n    raise\n    h()\n"
    assert may_hold_unreachable_code(ast.parse(handler), handler)  # blocks of except clauses
