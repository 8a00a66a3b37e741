"""HTTP responses inside one function: which names hold one, where the body is read, and
whether anything looks at the status. Syntactic and conservative: a response handed to other
code (an argument, a `return`) counts as checked, since that code may check it."""

from __future__ import annotations

import ast
from collections.abc import Callable

from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_body
from prodready.rules.matchers import HTTP_CLIENT_CLASSES, keyword
from prodready.rules.outbound import http_request_library

BODY_READS = frozenset({"json", "text", "content", "read", "aread"})
_STATUS = frozenset(
    {"status", "status_code", "ok", "is_success", "is_error", "raise_for_status", "reason"}
)
# Keys of an error envelope in the body: {"ok": false, "error": ...} (Telegram, Crypto Pay).
_ENVELOPE = frozenset(
    {"ok", "success", "error", "errors", "status", "code", "error_code", "result", "detail"}
)
_TESTS = (ast.If, ast.While, ast.IfExp, ast.Assert)


def _is_name(node: ast.AST | None, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def request_library(value: ast.AST | None, semantic: SemanticModel) -> str | None:
    """The library of a request call (awaited or not) not told to raise by itself."""
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call) or keyword(value, "raise_for_status") is not None:
        return None
    return http_request_library(value, semantic)


def bound_libraries(name: str, function: FunctionNode, semantic: SemanticModel) -> set[str | None]:
    """The library of each value the function binds to `name` (None: not a request)."""
    found: set[str | None] = set()
    for node in iter_body(function):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_name(t, name) for t in targets):
                found.add(request_library(node.value, semantic) if len(targets) == 1 else None)
        elif isinstance(node, ast.withitem) and _is_name(node.optional_vars, name):
            found.add(request_library(node.context_expr, semantic))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and any(
            _is_name(n, name) for n in ast.walk(node.target)
        ):
            found.add(None)
    return found


def first_body_read(name: str, function: FunctionNode) -> ast.Attribute | None:
    """The first `name.json` / `name.text` / ... of the function, in source order."""
    uses = [
        node
        for node in iter_body(function)
        if isinstance(node, ast.Attribute)
        and node.attr in BODY_READS
        and _is_name(node.value, name)
    ]
    return min(uses, key=lambda n: (n.lineno, n.col_offset), default=None)


def _looked_at(name: str, node: ast.AST) -> bool:
    """`name.status...`, `f(name)`, `return name`, `if name:` / `not name`."""
    if isinstance(node, ast.Attribute):
        return node.attr in _STATUS and _is_name(node.value, name)
    if isinstance(node, ast.Call):
        return any(_is_name(a, name) for a in (*node.args, *(k.value for k in node.keywords)))
    if isinstance(node, ast.Return | ast.If | ast.While | ast.Assert):
        return _is_name(node.value if isinstance(node, ast.Return) else node.test, name)
    return isinstance(node, ast.UnaryOp) and _is_name(node.operand, name)


def _reads_body(expr: ast.AST, name: str) -> bool:
    """`name.json()` / `await name.text()`."""
    if isinstance(expr, ast.Await):
        expr = expr.value
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr in BODY_READS
        and _is_name(expr.func.value, name)
    )


def _envelope_key(node: ast.AST, name: str, holders: set[str]) -> bool:
    """`data["ok"]`, `data.get("error")`, `"status" in data`, `resp.json().get("ok")`."""

    def held(expr: ast.AST) -> bool:
        return (isinstance(expr, ast.Name) and expr.id in holders) or _reads_body(expr, name)

    def key(expr: ast.AST | None) -> bool:
        return isinstance(expr, ast.Constant) and expr.value in _ENVELOPE

    if isinstance(node, ast.Subscript):
        return held(node.value) and key(node.slice)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        return node.func.attr == "get" and held(node.func.value) and key(node.args[0])
    if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In | ast.NotIn):
        return key(node.left) and held(node.comparators[0])
    if isinstance(node, ast.Compare) and len(node.comparators) == 1:
        sides = (node.left, node.comparators[0])  # `data.get("type") == "error"`
        return any(_read_of(side, held) for side in sides) and any(map(_outcome, sides))
    return False


def _read_of(expr: ast.AST, held: Callable[[ast.AST], bool]) -> bool:
    """`data["x"]` / `data.get("x")` on a name holding the body."""
    if isinstance(expr, ast.Subscript):
        return held(expr.value)
    func = expr.func if isinstance(expr, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "get" and held(func.value)


def _outcome(expr: ast.AST) -> bool:
    """A string naming an outcome: "error", "failed", "success", "ok"."""
    text = (
        expr.value.lower() if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else ""
    )
    return any(word in text for word in ("error", "fail", "success", "ok"))


def status_checked(name: str, function: FunctionNode) -> bool:
    """True when the function looks at the status of the response `name`, hands it to other
    code, or tests an error envelope of its body in a condition (`if not data["ok"]:`)."""
    holders = {
        target.id
        for node in iter_body(function)
        if isinstance(node, ast.Assign) and _reads_body(node.value, name)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in iter_body(function):
        if _looked_at(name, node):
            return True
        test = node.test if isinstance(node, _TESTS) else node
        tested = isinstance(test, ast.Compare) or test is not node
        if tested and any(_envelope_key(inner, name, holders) for inner in ast.walk(test)):
            return True
    return False


def client_raises(module: ast.AST, semantic: SemanticModel) -> bool:
    """True when the module builds an HTTP client that raises on error statuses itself
    (`raise_for_status=...`, httpx `event_hooks`) or sets requests hooks."""
    for node in ast.walk(module):
        if isinstance(node, ast.Attribute) and node.attr == "hooks":
            return True
        if isinstance(node, ast.Call) and any(
            k.arg in {"raise_for_status", "event_hooks"} for k in node.keywords
        ):
            qualified = semantic.qualified_name(node.func) or ""
            if qualified in HTTP_CLIENT_CLASSES:
                return True
    return False
