"""DB002: a query awaited once per item of a loop, with the item in the query (N+1)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.dataflow import mentions
from prodready.analysis.loops import body_nodes, bound_per_item, few_or_paged, item_names
from prodready.analysis.names import dotted_name
from prodready.analysis.orm import Values, local_assignments, query_call, returns_rows
from prodready.analysis.walk import iter_subtree
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB002",
    name="query-in-loop",
    title="Database query run once per item of a loop (N+1)",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "Inside a `for` / `async for` loop, a read query that uses the loop's item is awaited: "
        "`await session.get(User, order.user_id)`, `await session.scalar(select(...).where("
        "X.id == item.id))`, `await session.refresh(obj)`, asyncpg `await conn.fetchrow(sql, "
        "row['id'])` — one round trip per item."
    ),
    why=(
        "A list of 500 rows becomes 501 queries. Each costs a network round trip (0.5–2 ms "
        "locally, far more across zones) and holds a pooled connection; a page or a broadcast "
        "that was fast with test data takes seconds in production, and concurrent users "
        "exhaust the pool (5 + 10 connections by default) waiting behind it."
    ),
    fix="""Load everything in one query: an `IN` on the ids, or eager loading of the relationship:

```python
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.models import Order, User


async def owners(session: AsyncSession, orders: list[Order]) -> dict[int, User]:
    ids = {order.user_id for order in orders}
    users = await session.scalars(select(User).where(User.id.in_(ids)))
    return {user.id: user for user in users}


async def orders_with_items(session: AsyncSession) -> list[Order]:
    result = await session.scalars(select(Order).options(selectinload(Order.items)))
    return list(result)
```""",
    migration=(
        "Collect the keys first, run one `select(...).where(Model.id.in_(keys))` and map the "
        "results by key, or add `selectinload` / `joinedload` options to the query that loaded "
        "the parent rows (with `joinedload` of a collection call `.unique()` on the result). "
        "For asyncpg pass an array: `WHERE id = ANY($1::bigint[])`. Check the new query count "
        "with SQLAlchemy's `echo=True` or a query-counting test."
    ),
    libraries=("sqlalchemy", "asyncpg"),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html#select-in-loading",
        "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.ColumnOperators.in_",
    ),
)

_ENTITY = ("select", "select_from", "query", "delete", "update", "insert")
_PAGING = frozenset({"offset", "limit", "slice"})
_STOPS = (ast.Break, ast.Return)


def _expanded(call: ast.Call, values: Values) -> list[ast.AST]:
    """The call's nodes and those of the local statements it names (`stmt = select(...)`)."""
    nodes = list(iter_subtree(call))
    names = {n.id for n in nodes if isinstance(n, ast.Name) and n.id in values}
    return nodes + [n for name in names for v in values[name] for n in iter_subtree(v)]


def _per_entity(nodes: list[ast.AST], item: set[str]) -> bool:
    """The item is what is queried (`select(model)`, `select_from(table)`): one per table."""
    calls = (n for n in nodes if isinstance(n, ast.Call) and n.args)
    return any(
        (dotted_name(n.func) or "").endswith(_ENTITY) and mentions(n.args[0], item) for n in calls
    )


@file_rule(META, on=(ast.For, ast.AsyncFor))
def check(node: ast.stmt, ctx: FileContext) -> Iterator[Finding]:
    function = ctx.semantic.enclosing_function()
    if not isinstance(node, ast.For | ast.AsyncFor) or function is None:
        return
    values = local_assignments(function)
    if few_or_paged(node.iter, values) or any(isinstance(n, _STOPS) for n in body_nodes(node)):
        return
    item = item_names(node, ctx.semantic.ancestors)
    opened = bound_per_item(node) - item  # sessions opened per item: a unit of work each
    for inner in body_nodes(node):
        if not isinstance(inner, ast.Await) or not isinstance(inner.value, ast.Call):
            continue
        call = inner.value
        per_item_session = isinstance(call.func, ast.Attribute) and mentions(
            call.func.value, opened
        )
        if query_call(call, values) != "read" or not mentions(call, item) or per_item_session:
            continue
        nodes = _expanded(call, values)
        paged = {n.attr for n in nodes if isinstance(n, ast.Attribute)} & _PAGING
        if paged or _per_entity(nodes, item):
            continue
        yield ctx.finding(
            call,
            f"`{ast.unparse(call.func)}(...)` runs once per `{ast.unparse(node.target)}` of "
            f"`{ast.unparse(node.iter)[:40]}`: one query per item (N+1)",
            confidence=Confidence.HIGH if returns_rows(node.iter, values) else None,
        )
