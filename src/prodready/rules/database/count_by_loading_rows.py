"""DB019: every row loaded only to be counted, filtered or summed in Python."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.row_lists import python_side_uses
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="DB019",
    name="count-by-loading-rows",
    title="Rows loaded only to be counted, filtered or summed in Python",
    dimension=Dimension.DATABASE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A query loads every matching row and the list is used for nothing but a count, a "
        "filter or a sum: `len((await session.execute(select(User))).scalars().all())`, "
        "`len(result.all())`, `len(await conn.fetch('SELECT ...'))`, `[u for u in "
        "(await session.scalars(select(User))).all() if u.active]`, `sum(o.total for o in "
        "orders)` where `orders` came from a `select(Order)` with no `where`."
    ),
    why=(
        "The database sends every row, the driver decodes it and the ORM builds and tracks an "
        "object for each — to produce one number or a handful of rows. An admin statistics "
        "command or a balance check that took milliseconds at launch takes seconds and "
        "hundreds of MB once the users or orders table has 100,000 rows, and holds a pooled "
        "connection meanwhile; `SELECT count(*)` or a `WHERE` uses an index and returns one row."
    ),
    fix="""Let the database count, filter and sum:

```python
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, User


async def stats(session: AsyncSession) -> tuple[int, list[User], int]:
    users = await session.scalar(select(func.count()).select_from(User))
    active = (await session.scalars(select(User).where(User.active.is_(True)))).all()
    revenue = await session.scalar(select(func.coalesce(func.sum(Order.total), 0)))
    return users or 0, list(active), revenue or 0
```

asyncpg: `await conn.fetchval("SELECT count(*) FROM users")`.""",
    migration=(
        "Replace `len(...all())` by `select(func.count()).select_from(Model)` (with the same "
        "`where`), a Python filter by the equivalent `where(...)`, and `sum(...)` by "
        "`func.sum(...)` (wrapped in `func.coalesce(..., 0)` for an empty table). Add an index "
        "on the filtered column if the table is large."
    ),
    libraries=("sqlalchemy", "asyncpg"),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/functions.html#sqlalchemy.sql.functions.count",
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/select.html#the-where-clause",
    ),
)

_WHAT = {
    "count": "counted with `len()`: use `select(func.count())`",
    "filter": "filtered in Python: put the condition in `where()`",
    "sum": "summed in Python: use `func.sum()`",
}


@file_rule(META, on=(ast.FunctionDef, ast.AsyncFunctionDef))
def check(node: ast.stmt, ctx: FileContext) -> Iterator[Finding]:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return
    for use in python_side_uses(node):
        if use.kind != "count" and use.load.filtered:
            continue  # a filter or sum after a `where`: the rows are already bounded
        query = ast.unparse(use.load.call)
        query = query if len(query) <= 60 else query[:57] + "..."
        yield ctx.finding(
            use.node,
            f"every row of `{query}` is loaded only to be {_WHAT[use.kind]}",
            confidence=Confidence.LOW if use.load.filtered else None,  # maybe a few rows
        )
