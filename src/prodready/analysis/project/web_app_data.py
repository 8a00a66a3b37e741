"""What a bot handler takes from `Message.web_app_data.data`: the string a keyboard-button
Mini App sends with `Telegram.WebApp.sendData`. The sender (`message.from_user`) is set by
Telegram; the string itself is whatever the client wrote.

A read of a key that decides whom to credit or what to charge: `json.loads(...data)` bound to
a name, then `payload["user_id"]` / `payload.get("price")` (identity keys: user_id,
telegram_id, tg_id, chat_id; money keys: price, amount, sum, total, cost). Reads inside a
logging call or an f-string are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.walk import iter_body

IDENTITY_KEYS = frozenset({"user_id", "userid", "telegram_id", "tg_id", "chat_id", "uid"})
MONEY_KEYS = frozenset({"price", "amount", "sum", "total", "cost", "total_price", "stars"})
_LOG_CALLS = frozenset({"debug", "info", "warning", "error", "exception", "print"})


@dataclass(frozen=True, slots=True)
class Read:
    node: ast.AST
    key: str
    kind: str  # "identity" | "money"


def _is_web_app_data(node: ast.AST) -> bool:
    """`<x>.web_app_data.data`."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "data"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "web_app_data"
    )


def _is_loads(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
        in ("loads", "model_validate_json")
        and bool(node.args)
        and any(_is_web_app_data(n) for n in ast.walk(node.args[0]))
    )


def _key(node: ast.AST, names: set[str]) -> str | None:
    """The constant key of `name["k"]` / `name.get("k")` on a parsed payload."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        target, key = node.value, node.slice.value
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        target, key = node.func.value, node.args[0].value
    else:
        return None
    parsed = (isinstance(target, ast.Name) and target.id in names) or _is_loads(target)
    return key.lower() if parsed and isinstance(key, str) else None


def _quiet(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[int]:
    """ids of nodes inside logging calls and f-strings."""
    quiet: set[int] = set()
    for node in iter_body(function):
        loud = isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr in _LOG_CALLS)
                or (isinstance(node.func, ast.Name) and node.func.id == "print")
            )
        )
        if loud:
            quiet.update(id(n) for n in ast.walk(node))
    return quiet


def trusted_reads(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Read]:
    """Identity and money keys read from the parsed `web_app_data.data` in `function`."""
    nodes = list(iter_body(function))
    names = {
        t.id
        for n in nodes
        if isinstance(n, ast.Assign) and _is_loads(n.value)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    if not names and not any(_is_loads(n) for n in nodes):
        return
    quiet = _quiet(function)
    for node in nodes:
        key = _key(node, names)
        if key is None or id(node) in quiet:
            continue
        if key in IDENTITY_KEYS:
            yield Read(node, key, "identity")
        elif key in MONEY_KEYS:
            yield Read(node, key, "money")
