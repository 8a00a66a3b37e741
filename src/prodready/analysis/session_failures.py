"""What a failed flush does to a SQLAlchemy session, read from the tree.

After a flush fails (`flush()`, `commit()`, or an autoflush before a query once objects were
`add`-ed) the session refuses every further statement with `PendingRollbackError` until
`rollback()` (or `close()`) is called; `async with session.begin():` and `begin_nested()`
blocks roll back for you. On PostgreSQL a failed write statement (`execute(insert(...))`)
also aborts the transaction ("current transaction is aborted").

- `flushing_calls(statements, values)`: the session calls in a `try` body that flush or write.
- `first_use(statements, session)`: the first call that needs `session` usable again, or
  "reset" when it is rolled back, closed or rebound first.
- `followers(try_statement, ancestors, leaves)`: the statements that run after a handler that
  did not leave: the rest of each enclosing block, and the body of an enclosing loop again.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.orm import Values, writes
from prodready.analysis.walk import iter_subtree

_SESSION = re.compile(r"^_*(async_?|db_?|sa_?|orm_?)?(session|sess|db|s)$", re.I)
_PENDING = frozenset({"add", "add_all", "merge"})
_QUERIES = frozenset(
    {"execute", "scalar", "scalars", "get", "get_one", "refresh", "stream", "stream_scalars"}
)
_USES = _QUERIES | {"flush", "commit", "merge", "delete", "run_sync", "connection"}
_RESETS = frozenset({"rollback", "close", "invalidate", "reset", "begin_nested"})
_OWN_TRANSACTION = frozenset({"begin", "begin_nested"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


@dataclass(frozen=True, slots=True)
class SessionCall:
    """`<session>.<method>(...)` on a receiver named like a SQLAlchemy session."""

    session: str
    method: str
    call: ast.Call
    flushes: bool = True
    """False for a write statement sent with nothing pending (`execute(insert(...))`)."""


def session_call(node: ast.AST) -> SessionCall | None:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    receiver = dotted_name(node.func.value) or ""
    if not _SESSION.match(receiver.rsplit(".", 1)[-1]):
        return None
    return SessionCall(receiver, node.func.attr, node)


def _own_nodes(
    statements: Iterable[ast.stmt],
    absorbs: Callable[[ast.Try], bool] = lambda _: False,
) -> Iterator[ast.AST]:
    """Nodes in source order, not entering nested scopes, `with` blocks that give a session
    its own transaction (`session.begin()`, `begin_nested()`) or open a new one (for that
    session), nor the body of a nested `try` that `absorbs` its errors."""
    stack: list[tuple[ast.AST, frozenset[str]]] = [
        (s, frozenset()) for s in reversed(list(statements))
    ]
    while stack:
        node, skipped = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        call = session_call(node)
        if call is None or call.session not in skipped:
            yield node
        inner, body = skipped, set()
        if isinstance(node, ast.With | ast.AsyncWith):
            body = {id(s) for s in node.body}
            for item in node.items:
                opened = session_call(item.context_expr)
                if opened is not None and opened.method in _OWN_TRANSACTION:
                    inner |= {opened.session}
                if item.optional_vars is not None:
                    inner |= {dotted_name(item.optional_vars) or ""}
        elif isinstance(node, ast.Try) and absorbs(node):
            body = {id(s) for s in node.body}
            inner = frozenset({"*"})
        for child in reversed(list(ast.iter_child_nodes(node))):
            if id(child) not in body:
                stack.append((child, skipped))
            elif "*" not in inner:
                stack.append((child, inner))


def flushing_calls(
    statements: Sequence[ast.stmt], values: Values, absorbs: Callable[[ast.Try], bool]
) -> list[SessionCall]:
    """`flush()` / `commit()`, `execute()` of a write, and a query after `add()` on the same
    session (autoflush) in the statements, outside nested `try` blocks that `absorbs`."""
    found: list[SessionCall] = []
    pending: set[str] = set()
    for node in _own_nodes(statements, absorbs):
        call = session_call(node)
        if call is None:
            continue
        if call.method in _PENDING:
            pending.add(call.session)
        elif call.method in {"flush", "commit"} or (
            call.method in _QUERIES and call.session in pending
        ):
            found.append(call)
        elif call.method in _QUERIES and writes(call.call, values):
            found.append(SessionCall(call.session, call.method, call.call, flushes=False))
    return found


def first_use(
    statements: Iterable[ast.stmt], session: str, *, helpers: bool = True
) -> SessionCall | str | None:
    """The first call that needs `session` usable (with `helpers`, also an awaited call the
    session is handed to); "reset" when a `rollback()`, `close()`, a `begin_nested()`
    savepoint or a new value of the name comes first; None when neither."""
    for node in _own_nodes(statements):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(dotted_name(t) == session for t in targets):
                return "reset"
        opened = node.optional_vars if isinstance(node, ast.withitem) else None
        if opened is not None and dotted_name(opened) == session:
            return "reset"  # `async with factory() as session:` opens a new one
        helper = _handed_to(node, session)
        if helper is not None and (helpers or helper == "reset"):
            return helper
        call = session_call(node)
        if call is None or call.session != session:
            continue
        if call.method in _RESETS:
            return "reset"
        if call.method in _USES:
            return call
    return None


def _handed_to(node: ast.AST, session: str) -> SessionCall | str | None:
    """`await helper(session, ...)`, `await Repo(session).get(...)`: the awaited call that
    gets the session as an argument ("reset" for a helper named like a rollback)."""
    if not isinstance(node, ast.Await) or not isinstance(node.value, ast.Call):
        return None
    for inner in iter_subtree(node.value, same_scope=True):
        if not isinstance(inner, ast.Call):
            continue
        passed = [*inner.args, *(k.value for k in inner.keywords)]
        if any(dotted_name(a) == session for a in passed):
            func = node.value.func
            name = func.attr if isinstance(func, ast.Attribute) else dotted_name(func) or ""
            return "reset" if "rollback" in name else SessionCall(session, name, node.value)
    return None


DB_ERRORS = frozenset(
    {
        "Exception",
        "BaseException",
        "IntegrityError",
        "SQLAlchemyError",
        "DBAPIError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "ProgrammingError",
        "InternalError",
        "StatementError",
    }
)


def catches_db_error(handler: ast.ExceptHandler, named: Callable[[ast.AST], str | None]) -> bool:
    """Bare `except:`, `Exception`, or a SQLAlchemy database error (`IntegrityError`,
    `SQLAlchemyError`...), alone or in a tuple; `named` gives a qualified name."""
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((named(kind) or "").rsplit(".", 1)[-1] in DB_ERRORS for kind in kinds)


def absorbs(statement: ast.Try, named: Callable[[ast.AST], str | None]) -> bool:
    """A `try` with a handler that catches the database error and does not end re-raising."""
    return any(
        catches_db_error(h, named) and not isinstance(h.body[-1], ast.Raise)
        for h in statement.handlers
    )


def resets(statements: Iterable[ast.stmt]) -> bool:
    """Any `.rollback()` / `.close()` call at all (of this session or through a helper)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"rollback", "close"}
        for statement in statements
        for node in iter_subtree(statement, same_scope=True)
    )


def leaves(handler: ast.ExceptHandler) -> str:
    """How the handler ends: "exits" (`return` / `raise`), "continue", "break", or "falls"."""
    return leaves_with(handler.body[-1])


def leaves_with(last: ast.stmt) -> str:
    if isinstance(last, ast.Return | ast.Raise):
        return "exits"
    if isinstance(last, ast.Continue | ast.Break):
        return "continue" if isinstance(last, ast.Continue) else "break"
    return "falls"


def followers(statement: ast.stmt, ancestors: Sequence[ast.AST], ending: str) -> list[ast.stmt]:
    """What runs after a handler of `statement` that ends as `ending` (see `leaves`): the
    statements after it in each enclosing block up to the def or up to a `return` / `raise`
    (for "falls"), the body of the innermost enclosing loop again (for "falls" and
    "continue"), after that loop ("break")."""
    found: list[ast.stmt] = []
    child: ast.AST = statement
    for parent in reversed(ancestors):
        if ending == "exits":
            break
        if isinstance(parent, _LOOPS) and any(s is child for s in parent.body):
            found += parent.body if ending != "break" else []
            ending, child = "falls", parent
            continue
        block = next((b for b in _blocks(parent) if any(s is child for s in b)), [])
        for later in block[[id(s) for s in block].index(id(child)) + 1 :] if block else []:
            if ending != "falls":
                break
            found.append(later)
            if isinstance(later, ast.Return | ast.Raise | ast.Continue | ast.Break):
                ending = leaves_with(later)
        if isinstance(parent, _SCOPES):
            break
        child = parent
    return found


def _blocks(parent: ast.AST) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(parent, name, None)
        if isinstance(block, list):
            yield block
