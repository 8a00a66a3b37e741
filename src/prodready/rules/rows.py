"""Queries that load every row they match (no limit, no paging, no streaming): shared by
the performance rules. Read from the query as written (`ast.unparse` of the call chain)."""

from __future__ import annotations

import ast
import re

from prodready.analysis.project.build import Project
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFiles
from prodready.analysis.walk import iter_body
from prodready.rules.defs import def_at

_DB_WORDS = ("select(", "execute(", "scalars(", "query(", "fetch(", "fetchall(")
_BOUNDED = ("limit(", "offset(", "yield_per", "partitions", "first()", "one()", "[:", "in_(")


def _with_locals(expr: ast.AST, function: FunctionNode | None) -> str:
    """The query as written, with what the function assigns to the names it uses
    (`query = select(User).limit(500)`; `(await s.scalars(query)).all()`)."""
    text = ast.unparse(expr)
    if function is None:
        return text
    names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    values = [
        ast.unparse(node.value)
        for node in iter_body(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
    ]
    return " ".join([text, *values])


def loads_every_row(expr: ast.AST, function: FunctionNode | None = None) -> bool:
    """`(await s.execute(select(User))).scalars().all()`, `result.scalars().all()`,
    `await conn.fetch("SELECT ...")` — not when the chain (or a query variable the function
    builds) limits, pages or streams."""
    written = ast.unparse(expr)
    if not written.endswith((".all()", ".fetchall()")) and ".fetch(" not in written:
        return False
    text = _with_locals(expr, function)
    return any(w in text for w in _DB_WORDS) and not any(w in text for w in _BOUNDED)


def function_loads_every_row(project: Project, files: ParsedFiles, function: str) -> bool:
    """True when the project function's own body runs such a query."""
    info = project.calls.functions.get(function)
    parsed = files.get(info.evidence.path) if info is not None else None
    node = def_at(parsed, info.evidence.line) if parsed and info else None
    return node is not None and any(
        isinstance(n, ast.Call) and loads_every_row(n, node) for n in iter_body(node)
    )


# What grows with the audience; catalogue tables (tariffs, servers, tags) stay small.
_GROWING: tuple[str, ...] = (
    "user",
    "payment",
    "transaction",
    "order",
    "subscription",
    "message",
    "log",
)
_GROWING += ("event", "ticket", "referral", "purchase", "invoice", "notification", "history")
# Role holders are a handful of staff; methods, settings, options: what admins configure
# about the growing thing (`/payment-methods`), not the thing itself.
_SMALL = ("role", "rbac", "permission", "method", "setting", "config", "option", "categor")
# One owner's or one state's rows: a user's own orders, the open tickets.
_ONE_OWNER = frozenset({"my", "me", "mine", "active", "pending", "current", "recent", "today"})
_GROWING += ("withdraw", "deposit", "client", "member", "player", "account", "review", "audit")


def growing_collection(path: str, function: str) -> bool:
    """The route lists what grows with use: a word of its path, name or module starts with a
    growing noun (`/payments`, `list_users`; not `catalog` for "log"), and it is not bounded by one
    owner or state: `/orders/my`, `/orders/{id}/items`, `/tickets/active`."""
    named = " ".join(function.rsplit(".", 2)[-2:])  # the module (or class) and the function
    words = re.split(r"[^a-z0-9]+", f"{path} {named}".lower())
    segments = [s for s in path.split("/") if s]
    if any(w.startswith(_SMALL) for w in words) or _ONE_OWNER & set(words):
        return False
    if any("{" in segment for segment in segments[:-1]):
        return False  # a sub-collection of one parent
    return any(w.startswith(_GROWING) for w in words)


def growing_table(name: str) -> bool:
    """A table named for what grows with the audience (`users`, `payment_logs`), not for what
    admins configure about it (`payment_methods`, `user_roles`)."""
    found = re.split(r"[^a-z0-9]+", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower())
    if any(w.startswith(_SMALL) for w in found):
        return False
    return any(w.startswith(_GROWING) and not w.startswith("logi") for w in found)
