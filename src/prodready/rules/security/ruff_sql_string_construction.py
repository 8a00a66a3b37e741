"""SEC103: SQL text built with f-strings, format, % or +, as ruff's S608 finds it."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="SEC103",
        name="sql-string-construction",
        title="SQL statement built from strings",
        dimension=Dimension.SECURITY,
        severity=Severity.CRITICAL,
        confidence=Confidence.LOW,
        what=(
            "A string that reads as SQL (`SELECT ... FROM`, `INSERT INTO`, `UPDATE ... SET`, "
            "`DELETE FROM`) is built with an f-string, `.format()`, `%` or `+`, wherever it is "
            "used: passed to `execute`, to SQLAlchemy `text()`, or kept for later. ruff cannot "
            "tell whether the interpolated values can come from a user; on real projects most "
            "findings interpolate identifiers from code (table names in migrations and "
            "maintenance jobs), hence low confidence. A line whose built strings interpolate "
            "only text the program wrote (literal column lists, `?` placeholders, UPPER_CASE "
            "constants) is not shown; where prodready's SEC001 reports the same line, only "
            "SEC001 is shown."
        ),
        why=(
            "If any interpolated value comes from a user (message text, `callback_data`, a "
            "query or path parameter, a Mini App field) the user writes SQL: `' OR '1'='1` in a "
            "search box returns other users' rows, and with stacked statements or a writable "
            "subquery they can change balances or subscription states. Values that look safe "
            "today (an id from another table) become injectable when the code around them "
            "changes. String-built SQL also defeats the driver's prepared-statement cache "
            "(asyncpg keys it by query text), one new statement per value."
        ),
        fix="""Send values as bound parameters, never inside the SQL text; build queries with
SQLAlchemy where you can:

```python
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession


async def find_user(session: AsyncSession, username: str):
    result = await session.execute(
        text("SELECT id, username FROM users WHERE username = :username"),
        {"username": username},
    )
    return result.first()


async def list_orders(session: AsyncSession, user_id: int, sort: str):
    order_by = {"date": Order.created_at, "amount": Order.amount}[sort]  # allowed columns
    stmt = select(Order).where(Order.user_id == user_id).order_by(order_by)
    return (await session.scalars(stmt)).all()
```""",
        migration=(
            "Replace each built string with bound parameters: `text()` with `:name` "
            "placeholders and a dict (SQLAlchemy), `$1` placeholders with asyncpg, or better "
            "SQLAlchemy Core / ORM `select()`, which binds every value. Identifiers (table, "
            "column, sort direction) cannot be bound: map the allowed user choices to column "
            "objects as above and reject anything else. Validate request fields with pydantic "
            "before they reach the repository layer."
        ),
        libraries=("sqlalchemy", "asyncpg", "pydantic"),
        references=(
            "https://docs.astral.sh/ruff/rules/hardcoded-sql-expression/",
            "https://docs.sqlalchemy.org/en/20/tutorial/dbapi_transactions.html#sending-parameters",
            "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
        ),
        upstream=("S608",),
        overlaps=("SEC001",),
    )
)
