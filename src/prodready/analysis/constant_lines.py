"""Lines whose built strings interpolate only text the program wrote itself.

ruff's S608 reports any SQL-looking string built with an f-string, `%`, `.format()` or `+`,
whatever it interpolates. `f"UPDATE t SET {', '.join(cols)} WHERE id = ?"` with `cols` made
of literals, or `f"... IN ({placeholders})"` with `placeholders = ",".join("?" for _ in ids)`,
binds every value and injects nothing: ConstantText sees that, ruff cannot."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.strings import ConstantText, FunctionNode


def _built(node: ast.AST) -> bool:
    """An f-string, `+` / `%` on operands, or a `.format()` call: a string built by code."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add | ast.Mod)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _with_function(tree: ast.Module) -> Iterator[tuple[ast.AST, FunctionNode | None]]:
    """Every node of `tree` with its innermost enclosing function (None at module level)."""
    stack: list[tuple[ast.AST, FunctionNode | None]] = [(tree, None)]
    while stack:
        node, function = stack.pop()
        yield node, function
        inner = node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else function
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def constant_built_lines(tree: ast.Module, semantic: SemanticModel, lines: set[int]) -> set[int]:
    """The `lines` on which strings are built, every one of them only from constants (a line
    where any built string interpolates something else is left out)."""
    constant: set[int] = set()
    other: set[int] = set()
    for node, function in _with_function(tree):
        line = getattr(node, "lineno", None)
        if line not in lines or not _built(node):
            continue
        if line in other:
            continue
        if ConstantText(function, semantic.module_value).of(node):
            constant.add(line)
        else:
            other.add(line)
    return constant - other
