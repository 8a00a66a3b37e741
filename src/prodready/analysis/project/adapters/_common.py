"""What the adapters share: texts of expressions, arguments, details and derived kinds."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from prodready.analysis.project.model import Evidence

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
TEXT_MAX = 80


class _Located(Protocol):
    @property
    def evidence(self) -> Evidence: ...


Fact = TypeVar("Fact", bound=_Located)


def by_line(facts: Iterable[Fact]) -> tuple[Fact, ...]:
    """Facts in source order (stable: facts of one line keep the order they were found)."""
    return tuple(sorted(facts, key=lambda fact: fact.evidence.line))


def origin(call: ast.Call) -> ast.expr:
    """The first callable of a chain of calls: `Application.builder` for
    `Application.builder().token(t).build()`."""
    func = call.func
    while isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        func = func.value.func
    return func


def chain_calls(call: ast.Call) -> Iterator[ast.Call]:
    """`call` and the calls its function is chained on, outermost first."""
    node: ast.expr = call
    while isinstance(node, ast.Call):
        yield node
        func = node.func
        node = func.value if isinstance(func, ast.Attribute) else func


def text(expr: ast.AST, limit: int = TEXT_MAX) -> str:
    try:
        written = " ".join(ast.unparse(expr).split())
    except (RecursionError, ValueError):
        return "…"
    return written if len(written) <= limit else written[: limit - 1] + "…"


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """A parameter given by position or by keyword."""
    if position < len(call.args) and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return keyword(call, name)


def function_argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """A parameter that names a function: None when missing or a literal (`callback=None`);
    a string is kept (APScheduler's "module:function" references)."""
    value = argument(call, position, name)
    if isinstance(value, ast.Constant) and not isinstance(value.value, str):
        return None
    return value


def filter_texts(call: ast.Call, skip_args: int, skip_keywords: Iterable[str] = ()) -> list[str]:
    skipped = frozenset(skip_keywords)
    found = [text(arg) for arg in call.args[skip_args:]]
    for item in call.keywords:
        if item.arg is None:
            found.append("**" + text(item.value))
        elif item.arg not in skipped:
            found.append(f"{item.arg}={text(item.value)}")
    return found


def filter_exprs(
    call: ast.Call, skip_args: int, skip_keywords: Iterable[str] = ()
) -> list[ast.expr]:
    skipped = frozenset(skip_keywords)
    return [*call.args[skip_args:], *(k.value for k in call.keywords if k.arg not in skipped)]


def str_items(expr: ast.AST | None) -> tuple[str, ...]:
    """The strings of a literal string, or a list / tuple / set of literal strings."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return (expr.value,)
    if isinstance(expr, ast.List | ast.Tuple | ast.Set):
        return tuple(
            e.value for e in expr.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        )
    return ()


_DETAIL_NONE_MEANS = frozenset({"stop_signals"})


def entry_details(call: ast.Call, wanted: Iterable[str]) -> tuple[str, ...]:
    """What rules ask about a run / webhook call: a keyword passed as `None` is left out
    (it is the default) except where None means something (`stop_signals=None`), one passed
    as `False` is "name=False", any other value is "name"; "**kwargs" when some are unpacked."""
    keep = frozenset(wanted)
    found: list[str] = []
    for item in call.keywords:
        if item.arg is None:
            found.append("**kwargs")
            continue
        if item.arg not in keep:
            continue
        value = item.value
        if isinstance(value, ast.Constant) and value.value is None:
            if item.arg in _DETAIL_NONE_MEANS:
                found.append(f"{item.arg}=None")
        elif isinstance(value, ast.Constant) and value.value is False:
            found.append(f"{item.arg}=False")
        else:
            found.append(item.arg)
    return tuple(sorted(set(found)))


# Derived labels, in the order they are reported.
KIND_ORDER = (
    "command",
    "pre_checkout",
    "successful_payment",
    "refunded_payment",
    "web_app_data",
    "errors",
)
_CONTENT_MARKS = frozenset({"successful_payment", "refunded_payment", "web_app_data"})
MESSAGE_UPDATES = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post", "business_message"}
)


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _negation(node: ast.AST) -> bool:
    """`~x`, `not x`, `x.is_(None)`, `x == None` / `x is None`, `x != y` / `x is not y` (y
    not None)."""
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Invert | ast.Not)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "is_" and len(node.args) == 1 and _is_none(node.args[0])
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        op, right = node.ops[0], node.comparators[0]
        if isinstance(op, ast.Eq | ast.Is):
            return _is_none(right)
        return isinstance(op, ast.NotEq | ast.IsNot) and not _is_none(right)
    return False


def content_marks(exprs: Iterable[ast.AST]) -> set[str]:
    """Content types a filter asks for: an attribute (`F.successful_payment`,
    `ContentType.SUCCESSFUL_PAYMENT`, `filters.StatusUpdate.WEB_APP_DATA`) or a string
    ("successful_payment"); not under a negation, which lets every other message through
    (`~F.successful_payment`, `F.successful_payment.is_(None)`, `F.successful_payment == None`,
    `F.content_type != ContentType.SUCCESSFUL_PAYMENT`)."""
    found: set[str] = set()
    stack: list[ast.AST] = list(exprs)
    while stack:
        node = stack.pop()
        if _negation(node):
            continue
        word = ""
        if isinstance(node, ast.Attribute):
            word = node.attr.lower()
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            word = node.value.lower()
        if word in _CONTENT_MARKS:
            found.add(word)
        stack.extend(ast.iter_child_nodes(node))
    return found


def ordered_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    present = set(kinds)
    return tuple(kind for kind in KIND_ORDER if kind in present)


def token_in_path(path: str) -> bool:
    """A webhook path built from the bot token (which then ends up in access logs)."""
    lowered = path.lower()
    return "token" in lowered and "secret" not in lowered
