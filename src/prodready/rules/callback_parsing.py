"""Untrusted input parsed by hand in one function: callback data split and indexed, webhook
JSON indexed. Each `Parse` says what a crafted value raises and where.

Syntactic and conservative: a parse inside a `try` that catches the error, after a length
or `isdigit()` check, or under a filter that fixes the data's shape (an anchored regex, a
literal prefix holding enough separators) is not reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import Schema
from prodready.analysis.reaching import Bindings
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_CALLBACK_WORDS = ("call", "query", "cb", "callback")
_CATCHES = {
    "IndexError": ("IndexError", "LookupError", "Exception", "BaseException"),
    "ValueError": ("ValueError", "Exception", "BaseException"),
    "KeyError": ("KeyError", "LookupError", "Exception", "BaseException"),
}
_OWNER_CHECK = re.compile(r"from_user\.id|effective_user\.id|\buser_id\b|\bowner|\.user\.id")
_ERROR_WRAPPERS = re.compile(r"error|safe|catch|exception|handle_errors|suppress", re.I)
_VALIDATORS = ("model_validate", "parse_obj", "validate_python", "TypeAdapter", "**")


@dataclass(frozen=True, slots=True)
class Parse:
    """node: where it breaks; error: what a crafted value raises; owned: the model (as
    written) whose row the parsed id loads directly, when nothing compares an owner."""

    node: ast.AST
    text: str
    error: str
    owned: str = ""


def is_callback_data(expr: ast.AST, function: FunctionNode, bindings: Bindings) -> bool:
    """`callback.data`, `query.data`, `update.callback_query.data`, or a local holding it."""
    if isinstance(expr, ast.Name):
        binding = bindings.reaching(expr.id, expr)
        return (
            binding is not None
            and binding.kind == "assign"
            and binding.value is not None
            and is_callback_data(binding.value, function, bindings)
        )
    if not (isinstance(expr, ast.Attribute) and expr.attr == "data"):
        return False
    owner = (dotted_name(expr.value) or "").lower()
    return owner.endswith("callback_query") or any(w in owner for w in _CALLBACK_WORDS)


def _split_of(expr: ast.AST, function: FunctionNode, bindings: Bindings) -> ast.Call | None:
    """The `<callback data>.split(...)` call `expr` is, or the one a local was assigned."""
    if isinstance(expr, ast.Name):
        binding = bindings.reaching(expr.id, expr)
        if binding is None or binding.kind != "assign" or binding.value is None:
            return None
        expr = binding.value
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr in ("split", "rsplit")
        and is_callback_data(expr.func.value, function, bindings)
    ):
        return expr
    return None


def _separator(split: ast.Call) -> str | None:
    first = split.args[0] if split.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _caught(node: ast.AST, error: str, bindings: Bindings) -> bool:
    for parent in bindings.ancestors(node):
        if isinstance(parent, ast.Try | ast.TryStar) and any(
            h.type is None or any(n in ast.unparse(h.type) for n in _CATCHES[error])
            for h in parent.handlers
        ):
            return True
    return False


def callback_parses(function: FunctionNode, prefixes: list[str]) -> Iterator[Parse]:
    """Callback data split and indexed past what the handler's filter guarantees
    (`prefixes`: literal prefixes the filter requires), unpacked, or turned into a number."""
    if any(_ERROR_WRAPPERS.search(ast.unparse(d)) for d in function.decorator_list):
        return  # `@error_handler`: the handler's own wrapper catches what parsing raises
    bindings = Bindings.of(function)
    text = ast.unparse(function)
    digits_checked = "isdigit" in text or "isnumeric" in text or "isdecimal" in text
    for node in iter_body(function):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            split = _split_of(node.value, function, bindings)
            index = node.slice.value
            if split is None or not isinstance(index, int) or index in (0, -1):
                continue
            sep = _separator(split)
            given = max((p.count(sep) for p in prefixes if sep), default=0)
            if sep and _contains_checked(function, node, sep):
                given = max(given, 1)  # `if ":" in callback.data:` guarantees one piece more
            if (
                index > given
                and not _length_checked(function, node)
                and not _caught(node, "IndexError", bindings)
            ):
                yield Parse(node, ast.unparse(node), "IndexError")
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            if (
                _split_of(node.value, function, bindings) is not None
                and not _length_checked(function, node)
                and not _caught(node, "ValueError", bindings)
            ):
                yield Parse(node, ast.unparse(node), "ValueError")
        elif (
            isinstance(node, ast.Call)
            and dotted_name(node.func) in ("int", "float")
            and node.args
            and not digits_checked
            and _from_data(node.args[0], function, bindings)
            and not _caught(node, "ValueError", bindings)
        ):
            yield Parse(node, ast.unparse(node), "ValueError", _owned(function, node))


def _from_data(expr: ast.AST, function: FunctionNode, bindings: Bindings) -> bool:
    for inner in ast.walk(expr):
        if isinstance(inner, ast.Subscript) and _split_of(inner.value, function, bindings):
            return True
        if isinstance(inner, ast.Attribute) and is_callback_data(inner, function, bindings):
            return True
    return False


def _contains_checked(function: FunctionNode, node: ast.AST, sep: str) -> bool:
    """`sep in callback.data` (or `.count(sep)`) is tested before `node`."""
    line = getattr(node, "lineno", 0)
    for inner in iter_body(function):
        if getattr(inner, "lineno", 1 << 30) > line:
            continue
        if isinstance(inner, ast.Compare) and isinstance(inner.ops[0], ast.In):
            left = inner.left
            if isinstance(left, ast.Constant) and left.value == sep:
                return True
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr == "count"
            and inner.args
            and ast.unparse(inner.args[0]) == repr(sep)
        ):
            return True
    return False


def _length_checked(function: FunctionNode, node: ast.AST) -> bool:
    return any(
        isinstance(inner, ast.Call) and dotted_name(inner.func) == "len"
        for inner in iter_body(function)
        if getattr(inner, "lineno", 1 << 30) <= getattr(node, "lineno", 0)
    )


def _owned(function: FunctionNode, number: ast.Call) -> str:
    """The model a parsed id loads directly (`session.get(Order, order_id)`, `select(Order)
    .where(Order.id == order_id)`, `Order.get(id=order_id)`) when the function compares no
    owner anywhere; the rule decides from the schema whether rows of it belong to users."""
    if any(
        isinstance(n, ast.Compare) and _OWNER_CHECK.search(ast.unparse(n))
        for n in iter_body(function)
    ):
        return ""
    names = {t.id for t in _targets_of(function, number)}

    def is_id(node: ast.AST) -> bool:
        return node is number or (isinstance(node, ast.Name) and node.id in names)

    for node in iter_body(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method, owner = node.func.attr, dotted_name(node.func.value) or ""
        if method == "get" and len(node.args) >= 2 and is_id(node.args[1]):
            return dotted_name(node.args[0]) or ""
        keyed = any(is_id(k.value) for k in node.keywords if k.arg in ("id", "pk"))
        if (
            keyed
            and method in ("get", "get_or_none", "filter", "filter_by")
            and owner[:1].isupper()
        ):
            return owner
        if method == "where" and any(
            isinstance(c, ast.Compare)
            and any(is_id(o) for o in c.comparators)
            and (dotted_name(c.left) or "").endswith(".id")
            for c in node.args
        ):
            left = next(dotted_name(c.left) for c in node.args if isinstance(c, ast.Compare))
            return (left or "").rsplit(".", 1)[0]
    return ""


def _targets_of(function: FunctionNode, value: ast.AST) -> list[ast.Name]:
    return [
        t
        for node in iter_body(function)
        if isinstance(node, ast.Assign) and node.value is value
        for t in node.targets
        if isinstance(t, ast.Name)
    ]


def json_indexes(function: FunctionNode) -> Iterator[Parse]:
    """`data = await request.json()` then `data["a"]["b"]`, with no validation of `data`."""
    bindings = Bindings.of(function)
    bodies = [n for n in iter_body(function) if isinstance(n, ast.Assign)]
    loaded = {
        t.id
        for n in bodies
        if isinstance(n.value, ast.Await)
        and isinstance(n.value.value, ast.Call)
        and isinstance(n.value.value.func, ast.Attribute)
        and n.value.value.func.attr == "json"
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    if not loaded or any(v in ast.unparse(function) for v in _VALIDATORS):
        return
    for node in iter_body(function):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
            and node.value.id in loaded
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
            and not _caught(node, "KeyError", bindings)
        ):
            yield Parse(node, ast.unparse(node), "KeyError")
            return


_OWNER_COLUMN = re.compile(r"^(user|owner|buyer|customer|client|telegram|tg|chat)_?id$|_user_id$")
_VALIDATED = re.compile(r"regexp\(|pattern=|Regexp\(")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def _strings(filters: tuple[str, ...]) -> list[str]:
    return [a or b for text in filters for a, b in _QUOTED.findall(text)]


def filter_prefixes(filters: tuple[str, ...]) -> list[str]:
    """Literal prefixes the handler's filters require (`F.data.startswith("buy:")`,
    `pattern="^buy:"`): the separators they hold are guaranteed to be in the data."""
    return [re.split(r"[\\(\[.*+?$]", s.lstrip("^"))[0] for s in _strings(filters)]


def anchored_filter(filters: tuple[str, ...]) -> bool:
    """A regex filter anchored at the end (`F.data.regexp(r"^buy:(\\d+)$")`, PTB
    `pattern=r"^buy:\\d+$"`): the data's shape is validated before the handler runs."""
    texts = " ".join(filters)
    return bool(_VALIDATED.search(texts)) and any(s.endswith("$") for s in _strings(filters))


def user_rows(schema: Schema, model: str) -> bool:
    """The schema's table for `model` has a column naming the user a row belongs to."""
    table = schema.table_of_model(model.rsplit(".", 1)[-1]) if model else None
    return table is not None and any(_OWNER_COLUMN.search(c.name) for c in table.columns)
