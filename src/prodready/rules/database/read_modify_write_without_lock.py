"""DB001: a row loaded without a lock, a column written from its own value, then persisted."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.dataflow import self_updates
from prodready.analysis.orm import (
    LoadedRows,
    Remote,
    RowLoad,
    local_assignments,
    module_loaders,
    persists,
    serialized_nodes,
)
from prodready.analysis.orm import commits as commits_here
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.row_loads import may_rewrite_a_row, remote_loads
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB001",
    name="read-modify-write-without-lock",
    title="Row read, changed from its own value and written back without a lock",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "In one function a row is loaded with `session.get(...)` / `session.scalar(select(...))`"
        " / `(await session.execute(select(...))).scalar_one()` without `.with_for_update()` — "
        "directly or through a repository / DAO function in any module that returns such a row "
        "(`sub = await repo.get_by_user(user_id)`), a service that returns that function's "
        "result, or an item of a returned tuple (`user, created = await get_or_create(...)`) "
        "— then a column is written from its own "
        "value (`user.balance -= price`, `obj.count = obj.count + 1`, `sub.expires_at = "
        "max(sub.expires_at, now) + period`) and the session "
        "is committed or flushed. Blocker when the column holds money or stock."
    ),
    why=(
        "The new value is computed in Python from a copy read earlier; the database only sees "
        "`UPDATE ... SET balance = 90`. Two concurrent requests (a double tap, a webhook retry, "
        "a background job) both read balance 100, both subtract 10 and both write 90: one "
        "payment is lost or money is created. PostgreSQL's default READ COMMITTED isolation "
        "does not prevent it; the race is invisible in tests and shows up as balances, stock "
        "or subscription periods that do not add up."
    ),
    fix="""Let the database do the arithmetic atomically, or lock the row for the transaction:

```python
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def charge(session: AsyncSession, user_id: int, price: int) -> bool:
    async with session.begin():
        result = await session.execute(
            update(User)
            .where(User.id == user_id, User.balance >= price)
            .values(balance=User.balance - price)
        )
        return result.rowcount == 1  # 0: not enough money (or no such user)


async def extend(session: AsyncSession, user_id: int, days: int) -> None:
    async with session.begin():
        user = await session.scalar(select(User).where(User.id == user_id).with_for_update())
        if user is not None:
            user.days_left += days  # the row is locked until the transaction ends
```""",
    migration=(
        "Prefer one atomic `update(Model).where(...).values(col=Model.col + x)` with the "
        "business condition in the WHERE and a `rowcount` check; where the logic needs the "
        "object, load it with `select(...).with_for_update()` (or `session.get(Model, id, "
        "with_for_update=True)`) inside `async with session.begin():` and keep that transaction "
        "short (no HTTP calls under the lock). For rows edited in many places add optimistic "
        "locking (`__mapper_args__ = {'version_id_col': version}`, retry on `StaleDataError`)."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/selectable.html#sqlalchemy.sql.expression.Select.with_for_update",
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/dml.html#orm-update-and-delete-with-custom-where-criteria",
        "https://docs.sqlalchemy.org/en/20/orm/versioning.html",
        "https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED",
    ),
)

_MONEY = re.compile(
    r"(^|_)(balance|amount|credits?|coins?|points|bonus(es)?|stars|tokens|stock|in_stock|"
    r"inventory|funds|wallet|deposit|money|cash|spent|top_?up|consume\w*|earn\w*|rewards?|"
    r"debt|sum|total)(_|$)",
    re.I,
)
_SESSION_READS = frozenset(
    {"get", "get_one", "scalar", "scalar_one", "scalar_one_or_none", "first", "one", "one_or_none"}
)
_TALLY = re.compile(r"(^|_)(views?|clicks?|visits?|impressions?|seen|opens?)(_|$)", re.I)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    code = Code(ctx.project, ctx.files)
    for info in ctx.project.calls.functions.values():
        body = code.body(info.name) if may_rewrite_a_row(code, info) else None
        if body is not None:
            yield from _check(body, remote_loads(code, body), ctx)


def _check(body: Body, remote: Remote, ctx: ProjectContext) -> Iterator[Finding]:
    node = body.node
    rows = LoadedRows.of(node, local_assignments(node), module_loaders(body.parsed.tree), remote)
    if not rows.loads_any or not persists(node) or serialized_nodes(node)[0]:
        return
    under_lock, committed = serialized_nodes(node)[1], commits_here(node)
    for update in self_updates(node):
        statement, obj, attr = update.statement, update.obj, update.column
        found = rows.at(obj, statement.lineno, statement)
        if found is None or found[1].locked or id(statement) in under_lock:
            continue
        severity = Severity.BLOCKER if _MONEY.search(attr) else None
        severity = Severity.MAJOR if _TALLY.search(attr) else severity
        yield ctx.finding(
            body.parsed,
            statement,
            f"`{obj}.{attr}` is read at line {found[0]}{_by(found[1])} and written from its own "
            "value here without `with_for_update()`; two concurrent updates lose one",
            severity=severity,
            confidence=Confidence.HIGH if committed and severity else None,
        )


def _by(load: RowLoad) -> str:
    """` by `repo.get_by_user()`` when a helper (not the session) loaded the row."""
    func = load.call.func
    if isinstance(func, ast.Attribute) and func.attr in _SESSION_READS:
        return ""
    return f" by `{ast.unparse(func)}()`"
