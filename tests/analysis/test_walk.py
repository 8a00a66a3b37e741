"""Iterative walks: source order, correct ancestors, no recursion on deep trees."""

from __future__ import annotations

import ast
from itertools import pairwise

from prodready.analysis.walk import iter_body, iter_statements, walk_with_ancestors

CODE = """
import a
def f(x=default()):
    y = [g(i) for i in x]
    def inner():
        hidden()
    class C:
        also_hidden()
    lam = lambda: hidden_too()
    if y:
        return h(y)
"""


def _reference_body(node: ast.Module | ast.FunctionDef) -> list[ast.AST]:
    found: list[ast.AST] = []

    def visit(current: ast.AST) -> None:
        found.append(current)
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return
        for child in ast.iter_child_nodes(current):
            visit(child)

    for statement in node.body:
        visit(statement)
    return found


def test_iter_body_is_the_function_body_in_source_order() -> None:
    tree = ast.parse(CODE)
    function = tree.body[1]
    assert isinstance(function, ast.FunctionDef)
    assert list(iter_body(function)) == _reference_body(function)
    called = [ast.unparse(n.func) for n in iter_body(function) if isinstance(n, ast.Call)]
    assert called == ["g", "h"]


def test_iter_body_of_a_module_stops_at_definitions() -> None:
    tree = ast.parse(CODE)
    assert list(iter_body(tree)) == _reference_body(tree)
    assert not [n for n in iter_body(tree) if isinstance(n, ast.Call)]


def test_walk_with_ancestors_keeps_the_parent_chain() -> None:
    tree = ast.parse(CODE)
    ancestors: list[ast.AST] = []
    seen = 0
    for node in walk_with_ancestors(tree, ancestors):
        seen += 1
        if ancestors:
            assert node in list(ast.iter_child_nodes(ancestors[-1]))
        for parent, child in pairwise(ancestors):
            assert child in list(ast.iter_child_nodes(parent))
    assert seen == len(list(ast.walk(tree)))


def test_walks_do_not_recurse() -> None:
    depth = 50_000
    node: ast.expr = ast.Name("x", ast.Load())
    for _ in range(depth):
        node = ast.UnaryOp(ast.USub(), node)
    tree = ast.Module([ast.Expr(node)], [])
    ancestors: list[ast.AST] = []
    assert sum(1 for _ in walk_with_ancestors(tree, ancestors)) > depth
    assert sum(1 for _ in iter_body(tree)) > depth
    assert len(list(iter_statements(tree))) == 1
