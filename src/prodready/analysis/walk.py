"""Iterative tree walks: no recursion, so deeply nested code cannot overflow the stack."""

from __future__ import annotations

import ast
from collections.abc import Iterator

_STATEMENT_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")
_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def walk_with_ancestors(tree: ast.AST, ancestors: list[ast.AST]) -> Iterator[ast.AST]:
    """Pre-order walk of `tree`; while a node is yielded, `ancestors` holds its parents.

    `ancestors` is one list updated in place (root first), so that readers during the walk
    see the current node's parents without any copy.
    """
    ancestors.clear()
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    push = stack.append
    node_type = ast.AST
    while stack:
        node, depth = stack.pop()
        del ancestors[depth:]
        yield node
        ancestors.append(node)
        child_depth = depth + 1
        fields = node._fields
        for index in range(len(fields) - 1, -1, -1):
            value = getattr(node, fields[index], None)
            if isinstance(value, list):
                for item in reversed(value):
                    if isinstance(item, node_type):
                        push((item, child_depth))
            elif isinstance(value, node_type):
                push((value, child_depth))


def iter_statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement of a module, at any depth, without visiting expressions."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in _STATEMENT_FIELDS:
            block = getattr(node, name, None)
            if isinstance(block, list):
                stack.extend(reversed(block))


_BODY_CACHE = "_prodready_body_nodes"


def iter_body(function: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """Nodes of a function's (or module's) own body in source order, not descending into nested
    functions, lambdas or classes (decorators and parameter defaults are not the body).

    Many rules and extractors walk the same function: the node list is kept on the function
    node itself (so it lives and dies with the tree) after the first walk."""
    cached = getattr(function, _BODY_CACHE, None)
    if cached is None:
        cached = tuple(_walk_body(function))
        setattr(function, _BODY_CACHE, cached)
    return iter(cached)


def _walk_body(function: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    stack: list[ast.AST] = list(reversed(function.body))
    push = stack.append
    node_type = ast.AST
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPE_NODES):
            continue
        fields = node._fields
        for index in range(len(fields) - 1, -1, -1):
            value = getattr(node, fields[index], None)
            if isinstance(value, list):
                for item in reversed(value):
                    if isinstance(item, node_type):
                        push(item)
            elif isinstance(value, node_type):
                push(value)


def iter_subtree(node: ast.AST, *, same_scope: bool = False) -> Iterator[ast.AST]:
    """`node` and everything below it in source order, iteratively. With `same_scope`,
    nested functions, lambdas and classes are yielded but not entered."""
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        yield current
        if same_scope and current is not node and isinstance(current, _SCOPE_NODES):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(current))))
