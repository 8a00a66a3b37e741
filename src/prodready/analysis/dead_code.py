"""Unreachable code, as vulture finds it: dead code is not re-detected here.

vulture parses the text with `ast` and walks it; it never imports or runs the analysed code.
Only its 100%-confidence reachability findings are kept (code after `return` / `raise` /
`break` / `continue` / an endless loop, `if False:` / `while 0:` bodies, an `else` that can
never run). Unused names are left out: per file they are guesses, and unused imports are
ruff's job.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import vulture  # type: ignore[import-untyped]
from vulture.utils import ExitCode  # type: ignore[import-untyped]

from prodready.analysis.walk import iter_subtree

_CERTAIN = 100
# vulture's visitor recurses (two frames per AST level): a generated `1 + 1 + ... + 1` of
# 900 terms, which `ast` and prodready's own walk handle, needs more than Python's default 1000
_DEPTH = 20_000
_KEPT = re.compile(r"^(unreachable code after|unsatisfiable|unreachable 'else')")
# `return` / `raise` / `while False:` before a bare `yield` is the idiom that makes a
# function an (empty) generator: unreachable on purpose
_YIELD = re.compile(r"^\s*yield\b")


class DeadCodeError(Exception):
    """vulture could not analyse the text (its own message, one line)."""


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Lines `first_line`..`last_line` can never run; `message` is vulture's own words."""

    first_line: int
    last_line: int
    message: str


@contextlib.contextmanager
def _deep_enough() -> Iterator[None]:
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, _DEPTH))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


_TERMINATORS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
# `x if True else y`, `a if 0 else b`, `c if not None else d`: a ternary whose test may be a
# constant, by text (a test written as a string or in parentheses, `x if ("a") else y`, is not
# looked for: `if 'key' in d` and `if (a and b)` would send most files to the expression walk)
_CONSTANT_TERNARY = re.compile(r"\bif\s+(not\s+)?(True\b|False\b|None\b|\d|[+-]\d)")


def may_hold_unreachable_code(tree: ast.Module, text: str | None = None) -> bool:
    """A cheap superset of what vulture can find certain (so that it runs only where it may
    find something): a statement after a `return` / `raise` / `continue` / `break`, after a
    `try` whose body ends in one or after a `while True:` that never breaks, or an `if` /
    `while` / conditional expression whose test is made of constants only (`if False:`,
    `while 0:`, `x if 0 else y`). Only statements are walked; expressions only when `text`
    (the file's source) may hold a constant ternary test, or is not given."""
    if (text is None or _CONSTANT_TERNARY.search(text)) and any(
        isinstance(node, ast.IfExp) and _constant(node.test) for node in iter_subtree(tree)
    ):
        return True
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _constant(node.test):
            return True
        if isinstance(node, ast.While) and _constant(node.test) and not _endless(node):
            return True  # `while False:`, or `while True:` with an `else` that never runs
        for field in _BLOCKS:
            block = getattr(node, field, None)
            if isinstance(block, list) and block:
                if isinstance(block[0], ast.stmt) and _ends_early(block):
                    return True
                stack.extend(block)  # statements, except handlers, match cases
    return False


def _endless(loop: ast.While) -> bool:
    """`while True:` (a truthy constant) with no `else`: only code after it can be dead, and
    `_ends_early` looks for that. Service loops are written so; vulture need not see them."""
    test = loop.test
    return isinstance(test, ast.Constant) and bool(test.value) and not loop.orelse


def _breaks(loop: ast.While) -> bool:
    """A `break` of this loop (not of a loop nested in it)."""
    stack: list[ast.AST] = list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Break):
            return True
        if not isinstance(node, (ast.For, ast.AsyncFor, ast.While, *_SCOPES)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _constant(test: ast.expr) -> bool:
    return not any(isinstance(n, ast.Name | ast.Attribute | ast.Call) for n in ast.walk(test))


def _ends_early(block: list[ast.stmt]) -> bool:
    for statement in block[:-1]:
        if isinstance(statement, _TERMINATORS):
            return True
        if isinstance(statement, ast.While) and _endless(statement) and not _breaks(statement):
            return True  # code after a `while True:` that never breaks
        body = statement.body if isinstance(statement, ast.Try | ast.TryStar) else []
        if body and isinstance(body[-1], _TERMINATORS):
            return True
    return False


def unreachable_code(text: str, path: str) -> list[Unreachable]:
    """vulture's certain unreachable-code findings in `text` (the file at `path`)."""
    scanner = vulture.Vulture()
    errors = io.StringIO()
    # vulture prints what it cannot parse; here it becomes the error's message
    with contextlib.redirect_stderr(errors), _deep_enough():
        scanner.scan(text, filename=path)
    if scanner.exit_code == ExitCode.InvalidInput:
        reason = errors.getvalue().strip().splitlines()
        raise DeadCodeError(reason[0] if reason else "vulture could not analyse the file")
    lines = text.splitlines()
    found: list[Unreachable] = []
    for item in scanner.get_unused_code(min_confidence=_CERTAIN):
        first, last, message = int(item.first_lineno), int(item.last_lineno), str(item.message)
        if item.typ != "unreachable_code" or not _KEPT.match(message):
            continue
        if any(_YIELD.match(line) for line in lines[first - 1 : last]):
            continue
        found.append(Unreachable(first, last, message))
    return found
