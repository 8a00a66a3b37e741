"""A pre-checkout handler's answer: `ok=True` given before anything of the query is read.

Shared by the payment rules (never a rule module itself). The answer is
`query.answer(ok=True)` / `query.answer(True)` (aiogram, PTB) or
`bot.answer_pre_checkout_query(query.id, ok=True)`; reading the query is an attribute
`invoice_payload`, `total_amount`, `currency`, `from_user`, `order_info` or
`shipping_option_id` (outside a log call), or passing the query on to any call.
"""

from __future__ import annotations

import ast

from prodready.analysis.logs import is_logging_call
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_FIELDS = frozenset(
    {"invoice_payload", "total_amount", "currency", "from_user", "order_info", "shipping_option_id"}
)


def _answer(call: ast.Call) -> bool | None:
    """The `ok` of a pre-checkout answer call, None when the call is not one (or `ok` is not
    a literal)."""
    func = call.func
    method = func.attr if isinstance(func, ast.Attribute) else ""
    position = {"answer": 0, "answer_pre_checkout_query": 1}.get(method)
    if position is None:
        return None
    ok = next((k.value for k in call.keywords if k.arg == "ok"), None)
    if ok is None and len(call.args) > position:
        ok = call.args[position]
    if isinstance(ok, ast.Constant) and isinstance(ok.value, bool):
        return ok.value
    return None


def _query_names(function: FunctionNode) -> set[str]:
    """The handler's first parameter (the query, or PTB's update) and names bound from it."""
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    names = set(params[1:2] if params[:1] in (["self"], ["cls"]) else params[:1])
    for node in iter_body(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(n, ast.Name) and n.id in names for n in ast.walk(node.value)
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def blind_pre_checkout_answer(function: FunctionNode) -> ast.Call | None:
    """The `ok=True` pre-checkout answer of a handler when nothing before it reads the query
    (`invoice_payload`, `total_amount`, `currency`, `from_user`) outside a log call, nor passes
    the query on, and no `ok=False` answer exists; else None."""
    nodes = list(iter_body(function))
    answers = [(n, _answer(n)) for n in nodes if isinstance(n, ast.Call)]
    accepted = [n for n, ok in answers if ok is True]
    if not accepted or any(ok is False for _, ok in answers):
        return None
    first = accepted[0]
    query = _query_names(function)
    logged = {
        id(inner)
        for n in nodes
        if isinstance(n, ast.Call) and is_logging_call(n, None)
        for inner in ast.walk(n)
    }
    for node in nodes:
        if getattr(node, "lineno", first.lineno) >= first.lineno or id(node) in logged:
            continue
        if isinstance(node, ast.Attribute) and node.attr in _FIELDS:
            return None
        if isinstance(node, ast.Call) and any(
            isinstance(n, ast.Name) and n.id in query
            for a in (*node.args, *(k.value for k in node.keywords))
            for n in ast.walk(a)
        ):
            return None
    return first
