"""Small shared questions rules ask about calls and nodes (one place, never copied)."""

from __future__ import annotations

import ast


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    """The `name=` keyword argument of a call, if written."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    """True when the call passes `**kwargs` (any keyword may hide inside)."""
    return any(kw.arg is None for kw in call.keywords)


def is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def keyword_or_star(call: ast.Call, name: str) -> bool:
    """True when `name=` is passed, or may be, through `**kwargs`."""
    return keyword(call, name) is not None or has_star_kwargs(call)
