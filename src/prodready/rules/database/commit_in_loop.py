"""DB003: a transaction committed once per item of a loop that only does database work."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.dataflow import mentions
from prodready.analysis.loops import body_nodes, bound_per_item, few_or_paged, nearest_loop
from prodready.analysis.names import dotted_name
from prodready.analysis.orm import is_db_receiver, local_assignments, query_call, receiver_name
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB003",
    name="commit-in-loop",
    title="Transaction committed once per item of a loop",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "`await session.commit()` (or `conn.commit()`) runs inside a `for` loop whose body "
        "only does database work on a session opened outside the loop: one transaction per item."
    ),
    why=(
        "The operation is no longer atomic: an error on item 57 leaves items 1–56 committed and "
        "the rest not, and a retry applies the first half twice. Each commit is also a round "
        "trip plus a WAL flush (fsync) on the server, so a 10,000-row job takes minutes instead "
        "of a second, and with the default `expire_on_commit=True` every commit expires all "
        "loaded objects, which are then re-loaded one by one."
    ),
    fix="""Do the whole batch in one transaction and commit once after the loop:

```python
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Subscription


async def expire(session: AsyncSession, ids: list[int]) -> None:
    async with session.begin():  # one transaction: all or nothing
        for sub_id in ids:
            sub = await session.get(Subscription, sub_id)
            if sub is not None:
                sub.active = False


async def expire_in_one_statement(session: AsyncSession, ids: list[int]) -> None:
    async with session.begin():
        stmt = update(Subscription).where(Subscription.id.in_(ids)).values(active=False)
        await session.execute(stmt)
```""",
    migration=(
        "Move the commit after the loop (or wrap the loop in `async with session.begin():`). "
        "Where a single statement can do the work use a bulk `update()` / `insert().values([...])`"
        ". For very large jobs commit per chunk of a few thousand rows with an explicit, "
        "resumable cursor, and make each chunk idempotent. Where each item really is its own "
        "unit of work (it calls an external service), open a session per item instead."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/session_transaction.html",
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/dml.html#orm-bulk-update-by-primary-key",
    ),
)

_HARMLESS = frozenset({"sleep", "add", "add_all", "delete", "flush", "commit", "refresh", "merge"})


def _database_only(loop: ast.For | ast.AsyncFor, values: dict[str, list[ast.expr]]) -> bool:
    """Every await of the loop body is a query or a session call (no per-item side effect)."""
    for node in body_nodes(loop):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            call = node.value
            method = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
            if query_call(call, values) is None and method not in _HARMLESS:
                return False
    return True


def _deliberate(loop: ast.For | ast.AsyncFor, ctx: FileContext) -> bool:
    """Commits every N items (`if i % 100 == 0:`), or rolls back per item in a handler."""
    for node in ctx.semantic.ancestors[ctx.semantic.ancestors.index(loop) :]:
        if isinstance(node, ast.If) and any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mod) for n in ast.walk(node.test)
        ):
            return True
        if isinstance(node, ast.Try) and any("rollback" in ast.unparse(h) for h in node.handlers):
            return True
    return False


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    if not isinstance(node.func, ast.Attribute) or node.func.attr != "commit" or node.args:
        return
    loop = nearest_loop(ctx.semantic.ancestors)
    function = ctx.semantic.enclosing_function()
    if not isinstance(loop, ast.For | ast.AsyncFor) or function is None:
        return
    values = local_assignments(function)
    sessionish = is_db_receiver(node) or "session" in receiver_name(node).lower()
    if few_or_paged(loop.iter, values) or not sessionish:
        return
    opened = bound_per_item(loop)  # a session opened per item: a unit of work per item
    stops = any(isinstance(n, ast.Return | ast.Break) for n in body_nodes(loop))
    if stops or mentions(node.func.value, opened) or _deliberate(loop, ctx):
        return
    if _database_only(loop, values):
        yield ctx.finding(
            node,
            f"`{ast.unparse(node.func)}()` commits once per `{ast.unparse(loop.target)}`: "
            "a failure midway leaves the batch half applied",
        )
