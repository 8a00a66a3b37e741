"""What a handler's code creates when it runs (an order, a payment, an invoice) and what
stops a second, duplicate run from creating it again (a lock, a lookup, a unique key).

Read from function bodies: the handler's own and those of the project functions it calls.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Table
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

# Rows whose duplicate costs money or stock.
_ORDER_WORDS = re.compile(
    r"order|payment|invoice|purchase|transaction|bill|deposit|withdraw|top_?up|checkout|"
    r"charge|payout|booking|reservation|^buy|sale",
    re.I,
)
INVOICE_METHODS = frozenset(
    {"send_invoice", "answer_invoice", "reply_invoice", "create_invoice_link"}
)
_PERSIST = frozenset({"add", "add_all", "flush", "commit", "save", "insert_one"})
_RANDOM = re.compile(r"uuid|token_|random|secrets|time\(|now\(|shortuuid|nanoid", re.I)
_LOOKUP_WORDS = re.compile(r"pending|active|unpaid|existing|exists|open|current|last|find|get")
_LOCK_WORDS = re.compile(r"lock|for_update|mutex|semaphore", re.I)


@dataclass(frozen=True, slots=True)
class Creation:
    """node: the call that creates; what: its text for a message (`Order(...)`,
    `send_invoice`); model: the row's class when a row is created."""

    node: ast.Call
    what: str
    model: str = ""


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _class(call: ast.Call) -> str:
    last = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
    return last if last[:1].isupper() and not last.isupper() else ""


def creations(function: FunctionNode) -> Iterator[Creation]:
    """Rows of order-like models built and persisted, and Telegram invoices (each one stays
    payable). A provider's invoice link alone is not reported: an unused one costs nothing."""
    calls = [n for n in iter_body(function) if isinstance(n, ast.Call)]
    persists = any(_called(c) in _PERSIST for c in calls)
    for call in calls:
        name, model = _called(call), _class(call)
        if name in INVOICE_METHODS:
            yield Creation(call, name)
        elif model and _ORDER_WORDS.search(model) and persists and call.keywords:
            yield Creation(call, f"{model}(...)", model)
        elif name == "create" and isinstance(call.func, ast.Attribute):
            owner = _class_name(call.func.value)
            if owner and _ORDER_WORDS.search(owner):
                yield Creation(call, f"{owner}.create(...)", owner)
        elif name == "insert" and call.args:
            owner = _class_name(call.args[0])
            if owner and _ORDER_WORDS.search(owner):
                yield Creation(call, f"insert({owner})", owner)


def _class_name(expr: ast.AST) -> str:
    last = (dotted_name(expr) or "").rsplit(".", 1)[-1]
    return last if last[:1].isupper() and not last.isupper() else ""


def guard(functions: Iterable[FunctionNode], models: set[str], tables: dict[str, Table]) -> str:
    """Why a second run would not duplicate what these functions create ("" if nothing):
    a lock, a lookup of the same model first, a unique key or an upsert, a duplicate error
    handled."""
    for function in functions:
        for node in iter_body(function):
            found = _guard_in(node, models, tables)
            if found:
                return found
    return ""


def _guard_in(node: ast.AST, models: set[str], tables: dict[str, Table]) -> str:
    if isinstance(node, ast.withitem) and _LOCK_WORDS.search(ast.unparse(node.context_expr)):
        return "a lock"
    if isinstance(node, ast.ExceptHandler) and node.type is not None:
        caught = ast.unparse(node.type)
        return "a duplicate-key error handled" if "IntegrityError" in caught else ""
    if not isinstance(node, ast.Call):
        return ""
    name = _called(node)
    if _LOCK_WORDS.search(name) or any(k.arg in ("nx", "with_for_update") for k in node.keywords):
        return "a lock"
    if name.startswith("on_conflict") or name in ("get_or_create", "update_or_create"):
        return "an upsert"
    for arg in node.args[:1]:
        if name in ("select", "query", "get", "exists") and _class_name(arg) in models:
            return f"a lookup of {_class_name(arg)}"
    owner = _class_name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
    if owner in models and name in ("get", "get_or_none", "filter", "exists", "first"):
        return f"a lookup of {owner}"
    words = name.lower()
    if any(m.lower() in words.replace("_", "") for m in models) and _LOOKUP_WORDS.search(words):
        return f"`{name}()`"
    model = _class(node)
    table = tables.get(model)
    if table is not None:
        for item in node.keywords:
            if item.arg and _unique_key(table, item.arg, item.value):
                return f"the unique key {model}.{item.arg}"
    return ""


def _unique_key(table: Table, column: str, value: ast.expr) -> bool:
    found = table.column(column)
    if found is None or found.primary_key or not table.is_unique(column):
        return False
    return not _RANDOM.search(ast.unparse(value))


_ACKS = frozenset({"edit_reply_markup", "edit_message_reply_markup", "delete", "delete_message"})
_STATE_EXITS = frozenset({"clear", "finish", "set_state", "reset_state"})


def first_work_line(project: Project, handler: FunctionNode, name: str, makers: set[str]) -> int:
    """The line of the handler's first call that creates, or leads to a function (`makers`)
    that creates; a very large number when none is found."""
    leading = {
        n.rsplit(".", 1)[-1]
        for n in project.calls.reachable(name, 3)[1:]
        if makers.intersection(project.calls.reachable(n, 3))
    }
    own = {c.node.lineno for c in creations(handler)} if name in makers else set()
    for node in iter_body(handler):
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if node.lineno in own or called in leading or ast.unparse(node.func) in leading:
                return node.lineno
    return 1 << 30


def acknowledged(handler: FunctionNode, before: int, callback: bool, in_state: bool) -> bool:
    """Before line `before`, the button is answered or removed (`callback.answer()`,
    `edit_reply_markup`, `message.delete()`) or the FSM state the handler runs in is left."""
    for node in iter_body(handler):
        if not isinstance(node, ast.Call) or node.lineno >= before:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else ""
        receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
        if name in _ACKS or (callback and name == "answer" and "message" not in receiver):
            return True
        if in_state and name in _STATE_EXITS:
            return True
    return False
