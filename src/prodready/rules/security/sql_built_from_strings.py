"""SEC001: SQL built with an f-string, `%`, `.format()` or `+` from a value, then executed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.provenance import from_configuration
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.strings import ConstantText, string_held
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import SQL_RUNNER_METHODS, looks_like_sql

META = RuleMeta(
    id="SEC001",
    name="sql-built-from-strings",
    title="SQL built by string formatting instead of bound parameters",
    dimension=Dimension.SECURITY,
    severity=Severity.BLOCKER,
    confidence=Confidence.HIGH,
    what=(
        "SQL built with an f-string, `%`, `.format()` or `+` from a non-constant value is passed "
        "to SQLAlchemy `text()` / `execute()` / `exec_driver_sql()`, asyncpg `fetch*` / "
        "`execute*` or DB-API `cursor.execute()`, directly or through a local variable."
    ),
    why=(
        "Whatever the value holds becomes SQL. A name, message, callback data or sort column "
        "with a quote rewrites the statement: `' OR 1=1 --` reads every row, `UNION SELECT` "
        "leaks other tables (tokens, balances), and asyncpg's `execute()` without arguments "
        "runs several statements, so `'; DROP TABLE payments; --` works. Telegram users write "
        "their names, texts and callback data: every handler is an entry point."
    ),
    fix="""Send values as bound parameters; map identifiers through an allowlist:

```python
import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

SORTABLE = {"newest": "created_at", "amount": "amount"}  # user input -> fixed column


async def user_orders(session: AsyncSession, user_id: int, sort: str) -> list[dict]:
    column = SORTABLE.get(sort, "created_at")
    stmt = text(f"SELECT id, amount FROM orders WHERE user_id = :user_id ORDER BY {column}")
    result = await session.execute(stmt, {"user_id": user_id})
    return [dict(row) for row in result.mappings()]


async def orders_by_id(conn: asyncpg.Connection, ids: list[int]) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT id, amount FROM orders WHERE id = ANY($1::bigint[])", ids)
```""",
    migration=(
        "Replace each value with a placeholder: `:name` in `text()` plus a dict (or "
        "`.bindparams()`), `$1` plus arguments in asyncpg, `%s` plus a tuple given to DB-API "
        "`execute` (never Python's `%`); lists via `bindparam('ids', expanding=True)` or `= "
        "ANY($1)`. Identifiers cannot be bound: map input through an allowlist, or build the "
        "query with Core (`select(t).order_by(t.c[name])`), which quotes identifiers itself; "
        "a `quoted_name` pasted into an f-string quotes nothing."
    ),
    libraries=("sqlalchemy", "asyncpg"),
    references=(
        "https://docs.sqlalchemy.org/en/20/tutorial/dbapi_transactions.html#sending-parameters",
        "https://magicstack.github.io/asyncpg/current/api/index.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html",
    ),
)

_TEXT = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})
_HOW = {"f-string": "an f-string", "concatenation": "`+`", "% formatting": "`%` formatting"}
_NUMBERS = frozenset({"int", "float", "bool", "Decimal", "UUID", "uuid.UUID"})


def _statement(call: ast.Call) -> ast.expr | None:
    if call.args:
        return None if isinstance(call.args[0], ast.Starred) else call.args[0]
    return next((k.value for k in call.keywords if k.arg in ("statement", "query", "sql")), None)


def _confidence(value: ast.expr, fn: FunctionNode | None) -> Confidence:
    """Low for configuration (`settings.db_schema`, `self.table`, not `self.event.text`, a
    local built from settings or the environment), medium for a parameter annotated as a
    number, high for anything else."""
    parts = (dotted_name(value) or "").split(".")
    attribute_of_self = parts[0] in ("self", "cls") and len(parts) == 2
    if attribute_of_self or from_configuration(value, fn):
        return Confidence.LOW
    arguments = (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs) if fn else ()
    annotation = next((a.annotation for a in arguments if a.arg == parts[0]), None)
    number = len(parts) == 1 and annotation is not None and ast.unparse(annotation) in _NUMBERS
    return Confidence.MEDIUM if number else Confidence.HIGH


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    is_text = ctx.semantic.qualified_name(node.func) in _TEXT
    runs = isinstance(node.func, ast.Attribute) and node.func.attr in SQL_RUNNER_METHODS
    statement = _statement(node) if is_text or runs else None
    function, module_value = ctx.semantic.enclosing_function(), ctx.semantic.module_value
    built = string_held(statement, function, module_value) if statement else None
    if built is None or not built.values or not (is_text or looks_like_sql(built.text)):
        return
    constant = ConstantText(function, module_value)
    unsafe = [value for value in built.values if not constant.of(value)]
    if not unsafe:
        return  # only constants, UPPER_CASE names and allowlist entries are interpolated
    how, more = _HOW.get(built.how, f"`{built.how}`"), len(unsafe) - 1
    source = f"`{ast.unparse(unsafe[0])[:40]}`" + (f" and {more} more" if more else "")
    held = "SQL built with"
    if isinstance(statement, ast.Name):
        held = f"`{statement.id}`, built on line {unsafe[0].lineno} with"
    callee = "`text()` gets" if is_text else f"`{ast.unparse(node.func)}()` runs"
    message = f"{callee} {held} {how} from {source}: bind values, allowlist identifiers"
    confidence = min((_confidence(value, function) for value in unsafe), key=lambda c: c.rank)
    if (ctx.semantic.qualified_name(node.func) or "").startswith("alembic."):
        confidence = Confidence.LOW  # a migration: its values come from whoever runs it
    yield ctx.finding(node, message, confidence=confidence)
