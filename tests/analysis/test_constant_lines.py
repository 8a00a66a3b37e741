"""constant_built_lines: lines whose built strings interpolate only constants."""

from __future__ import annotations

import ast
import textwrap

from prodready.analysis.constant_lines import constant_built_lines
from prodready.analysis.semantic import SemanticModel


def _lines(source: str, *rows: int) -> set[int]:
    tree = ast.parse(textwrap.dedent(source))
    return constant_built_lines(tree, SemanticModel.build(tree, "m", False), set(rows))


def test_literal_columns_and_placeholders_are_constant() -> None:
    source = """
    STATES = ("a", "b")
    def f(conn, fields):
        cols = ["state=?"]
        for k in ("name", "stars"):
            cols.append(f"{k}=?")
        marks = ",".join("?" for _ in STATES)
        conn.execute(f"UPDATE t SET {', '.join(cols)} WHERE id IN ({marks})")
    """
    assert _lines(source, 8) == {8}


def test_a_value_from_a_parameter_is_not_constant() -> None:
    source = """
    def f(conn, name):
        conn.execute(f"SELECT * FROM users WHERE name = '{name}'")
        conn.execute("DELETE FROM t WHERE id = %s" % name)
        conn.execute("SELECT * FROM t WHERE id = {}".format(name))
        conn.execute("SELECT * FROM t WHERE id = " + name)
    """
    assert _lines(source, 3, 4, 5, 6) == set()


def test_one_unsafe_string_on_the_line_keeps_it() -> None:
    source = """
    def f(conn, name):
        conn.execute(f"SELECT {'id'} FROM t"); conn.execute(f"SELECT {name} FROM t")
    """
    assert _lines(source, 3) == set()


def test_only_the_asked_lines_are_answered() -> None:
    source = """
    TABLE = "users"
    q = f"SELECT * FROM {TABLE}"
    """
    assert _lines(source, 3) == {3}
    assert _lines(source, 2) == set()
