"""Which code writes state: database writes (SQLAlchemy ORM and Core, raw SQL, Tortoise / ODM
models, MongoDB), attributes of loaded rows changed and committed (`sub.expires_at = ...`,
`user.balance += ...`), and calls named like a grant (`add_balance`, `activate_subscription`,
`extend_subscription`). A bare `commit()` is not one: what it commits is written elsewhere.

A write is what makes a duplicated event cost money: a payment delivered twice that writes
nothing grants nothing twice. Detection is per function body; `first_write` follows the
call graph from a handler or route.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_body

# SQL text that changes rows (a statement, not the bare word "update" of a callback).
SQL_WRITE = re.compile(
    r"^\s*(insert\s+(or\s+\w+\s+)?(ignore\s+)?into|update\s+[\w.\"`]+\s+set|delete\s+from"
    r"|replace\s+into|merge\s+into|upsert)\b",
    re.I,
)
SA_WRITE_STATEMENTS = frozenset(
    f"sqlalchemy.{prefix}{verb}"
    for verb in ("insert", "update", "delete")
    for prefix in ("", "sql.", "sql.expression.", "sql.dml.", "future.")
) | frozenset(
    f"sqlalchemy.dialects.{dialect}.insert" for dialect in ("postgresql", "sqlite", "mysql")
)
_SESSION_WRITES = frozenset({"add", "add_all", "merge", "bulk_save_objects"})
_SESSION_WORDS = ("session", "db", "uow", "tx", "conn", "transaction")
_FLUSHES = frozenset({"commit", "flush"})
_ANY_RECEIVER_WRITES = frozenset(
    {
        "bulk_insert_mappings",
        "bulk_update_mappings",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "find_one_and_update",
        "find_one_and_replace",
        "bulk_write",
    }
)
GRANT_NAME = re.compile(
    r"^_?(grant|activate|extend|prolong|renew|credit|top_?up|add_?(balance|days|credits?|coins"
    r"|stars|funds|money|points|tokens|subscription|sub|premium|vip)|(increase|increment|"
    r"update|change|replenish|add_to)_(user_)?balance|set_(premium|vip|paid|subscription)"
    r"|give_(premium|vip|subscription|access|balance))",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Write:
    """A write in a function: where, and what it reads as ("`session.add(...)`")."""

    function: str
    path: str
    line: int
    label: str

    def shown(self, caller: str = "") -> str:
        """ "`session.add(...)`, in `grant`, billing.py:13" (the function named when it is not
        `caller`)."""
        where = f"{self.path}:{self.line}"
        if self.function != caller:
            where = f"in `{self.function.rsplit('.', 1)[-1]}`, {where}"
        return f"{self.label}, {where}"


def _receiver_words(func: ast.Attribute) -> str:
    return (dotted_name(func.value) or "").rsplit(".", 1)[-1].lower()


def _statement_root(expr: ast.AST) -> ast.AST:
    """The innermost call of a chain: `insert(T).values(...).on_conflict_do_nothing()`."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        inner = expr.func.value
        if not isinstance(inner, ast.Call):
            break
        expr = inner
    return expr


def write_call(call: ast.Call, semantic: SemanticModel) -> str | None:
    func = call.func
    name = semantic.qualified_name(func) or ""
    if name in SA_WRITE_STATEMENTS:
        return f"`{name.rsplit('.', 1)[-1]}(...)`"
    if not isinstance(func, ast.Attribute):
        short = name.rsplit(".", 1)[-1]
        return f"`{short}(...)`" if name and GRANT_NAME.match(short) else None
    method = func.attr
    receiver = _receiver_words(func)
    if method in _SESSION_WRITES and (
        any(word in receiver for word in _SESSION_WORDS)
        or any(isinstance(a, ast.Call) and capitalised(a.func) for a in call.args)
    ):
        return f"`{receiver}.{method}(...)`"
    if method in _ANY_RECEIVER_WRITES:
        return f"`.{method}(...)`"
    if method in ("create", "save") and (capitalised(func.value) or method == "save"):
        return f"`.{method}(...)`" if method == "create" or not call.args else None
    if method == "update" and isinstance(func.value, ast.Call):
        inner = func.value.func
        if isinstance(inner, ast.Attribute) and inner.attr in ("filter", "where", "filter_by"):
            return "`.filter(...).update(...)`"
    if method in ("insert", "update", "delete") and receiver.endswith(
        "table__"
    ) | receiver.endswith("table"):
        return f"`{receiver}.{method}()`"  # Core: `users_table.insert()`, `Model.__table__`
    if GRANT_NAME.match(method) and not _list_extend(call):
        return f"`{method}(...)`"
    return None


def _list_extend(call: ast.Call) -> bool:
    """`entries.extend(more)`: a local list grown by one iterable, not a subscription."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "extend"
        and isinstance(func.value, ast.Name)
        and len(call.args) == 1
        and not call.keywords
    )


def capitalised(expr: ast.AST) -> bool:
    """`Payment`, `models.Payment`: a name that reads as a class (a model, a DTO)."""
    return (dotted_name(expr) or "").rsplit(".", 1)[-1][:1].isupper()


def _commits(function: FunctionNode) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _FLUSHES
        for n in iter_body(function)
    )


def _awaited_names(function: FunctionNode) -> set[str]:
    """Names assigned from an awaited call: rows loaded from the database."""
    return {
        target.id
        for node in iter_body(function)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Await)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def writes_in(function: FunctionNode, semantic: SemanticModel) -> tuple[ast.AST, str] | None:
    """The first write in the function's own body and how it reads, or None."""
    commits: bool | None = None
    loaded: set[str] | None = None
    for node in iter_body(function):
        if isinstance(node, ast.Call):
            label = write_call(node, semantic)
            if label is not None:
                return node, label
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL_WRITE.match(node.value):
                return node, "SQL `" + node.value.split()[0].upper() + "`"
        elif isinstance(node, ast.AugAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
            for target in targets:
                if not isinstance(target, ast.Attribute):
                    continue
                owner = dotted_name(target.value)
                if not owner or owner.split(".")[0] in ("self", "cls"):
                    continue
                if isinstance(node, ast.Assign):
                    commits = _commits(function) if commits is None else commits
                    loaded = _awaited_names(function) if loaded is None else loaded
                    if not commits and owner not in loaded:
                        continue
                op = f"{_op(node.op)}=" if isinstance(node, ast.AugAssign) else "="
                return node, f"`{owner}.{target.attr} {op} ...`"
    return None


def _op(op: ast.operator) -> str:
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}.get(type(op), "?")


def write_of(body: Body) -> Write | None:
    found = writes_in(body.node, body.parsed.semantic)
    if found is None:
        return None
    node, label = found
    return Write(body.name, body.path, getattr(node, "lineno", body.node.lineno), label)


# Functions that keep a user's row current (registration, profile): writes, but not what a
# payment grants; shown only when nothing else writes.
_BOOKKEEPING = re.compile(
    r"(upsert|register|ensure|get_or_create|create|save|update|sync|touch)_(user|profile|account)",
    re.I,
)


def first_write(code: Code, start: str) -> Write | None:
    """The first write `start` makes or reaches (breadth first through the call graph),
    preferring one outside user bookkeeping (`upsert_user`, `get_or_create_user`)."""
    writes = [w for w in (write_of(body) for body in code.reach(start)) if w is not None]
    preferred = [w for w in writes if not _BOOKKEEPING.search(w.function.rsplit(".", 1)[-1])]
    chosen = preferred or writes
    return chosen[0] if chosen else None
