"""DB024: a session used again after the flush it caught failed, without rollback()."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import partial

from prodready.analysis.orm import local_assignments
from prodready.analysis.session_failures import (
    SessionCall,
    absorbs,
    catches_db_error,
    first_use,
    flushing_calls,
    followers,
    leaves,
    resets,
)
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB024",
    name="session-used-after-failed-flush",
    title="Session used again after a caught flush/commit failure without rollback()",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "A `try` block flushes a SQLAlchemy session — `await session.flush()`, `await "
        "session.commit()`, `await session.execute(insert(...))`, or a query after "
        "`session.add(obj)` (autoflush) — an `except` that catches the database error "
        "(`IntegrityError`, `SQLAlchemyError`, `Exception`) keeps going, and the same session "
        "runs another statement or is handed to a helper (in the handler, after the `try`, or "
        "on the loop's next item) "
        "with no `await session.rollback()` first: `except IntegrityError: user = await "
        "session.get(User, user_id)`."
    ),
    why=(
        "Once a flush fails, SQLAlchemy marks the session's transaction inactive: every later "
        '`execute`, `get`, `refresh`, `flush` or `commit` raises `PendingRollbackError` ("This '
        "Session's transaction has been rolled back due to a previous exception during flush\") "
        "until `rollback()` is called; on PostgreSQL a failed `INSERT` also aborts the "
        'transaction ("current transaction is aborted, commands ignored"). So the recovery path '
        "itself crashes — the get-or-create race that should return the existing user, the "
        "error row that should be logged, every remaining item of a batch — and the "
        "original cause is hidden behind the new error."
    ),
    fix="""Roll back before using the session again, or wrap the write you expect to fail in a
savepoint so that only it is undone; for get-or-create on PostgreSQL let the database do it:

```python
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def get_or_create(session: AsyncSession, user_id: int) -> User:
    try:
        async with session.begin_nested():  # SAVEPOINT: a failure undoes only this
            session.add(User(id=user_id))
    except IntegrityError:
        pass  # the session is still usable here
    return await session.get_one(User, user_id)


async def upsert(session: AsyncSession, user_id: int) -> None:
    await session.execute(insert(User).values(id=user_id).on_conflict_do_nothing())
    await session.commit()


async def save(session: AsyncSession, user: User) -> None:
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()  # first, before any other statement
        raise
```""",
    migration=(
        "Put `await session.rollback()` as the first statement of every handler that catches "
        "a flush or commit failure and goes on with the same session (batches: per item, or "
        "one `begin_nested()` savepoint per item). For expected conflicts (get-or-create, "
        "unique usernames) prefer `insert(...).on_conflict_do_nothing()` / "
        "`on_conflict_do_update()` from `sqlalchemy.dialects.postgresql`, or a "
        "`session.begin_nested()` savepoint around the insert."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/faq/sessions.html#this-session-s-transaction-has-been-rolled-back-due-to-a-previous-exception-during-flush-or-similar",
        "https://docs.sqlalchemy.org/en/20/errors.html#error-7s2a",
        "https://docs.sqlalchemy.org/en/20/orm/session_transaction.html#using-savepoint",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#insert-on-conflict-upsert",
    ),
)


@file_rule(META, on=(ast.Try,))
def check(node: ast.Try, ctx: FileContext) -> Iterator[Finding]:
    """One finding per handler, at the `except` line, for the first session it reuses."""
    function = ctx.semantic.enclosing_function()
    if function is None:
        return
    named = ctx.semantic.qualified_name
    calls = flushing_calls(node.body, local_assignments(function), partial(absorbs, named=named))
    flushed = {c.session: c for c in reversed(calls)}
    if not flushed:
        return
    for handler in node.handlers:
        if not catches_db_error(handler, named) or resets(handler.body):
            continue
        later = [*node.finalbody, *followers(node, ctx.semantic.ancestors, leaves(handler))]
        for session, failed in flushed.items():
            scope, where = handler.body, "in the handler"
            use = first_use(scope, session)
            if use is None:
                scope, where = later, "after it"
                use = first_use(scope, session)
            if not isinstance(use, SessionCall):
                continue
            # only handed to helpers (no statement of its own before a reset): less certain
            helper = not isinstance(first_use(scope, session, helpers=False), SessionCall)
            yield ctx.finding(
                handler,
                f"`{session}.{failed.method}()` (line {failed.call.lineno}) can fail and this "
                f"`except` goes on to `{ast.unparse(use.call.func)}()` (line {use.call.lineno}, "
                f"{where}) without `await {session}.rollback()`: "
                + (
                    "on PostgreSQL the failed statement aborted the transaction"
                    if not failed.flushes
                    else "the session raises PendingRollbackError until it is rolled back"
                ),
                confidence=Confidence.MEDIUM if helper else None,
            )
            break
