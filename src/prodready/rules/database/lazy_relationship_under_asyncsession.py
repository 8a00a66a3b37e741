"""DB008: a lazy relationship read on a row loaded through an AsyncSession (MissingGreenlet)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from prodready.analysis.orm_access import assigned_attributes, attribute_reads, loaded_eagerly
from prodready.analysis.project.model import Relationship, Table
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.orm_rows import async_functions, async_rows, helpers, row_at
from prodready.rules.transitions import schema_models

META = RuleMeta(
    id="DB008",
    name="lazy-relationship-under-asyncsession",
    title="Lazy relationship read on a row loaded through an AsyncSession",
    dimension=Dimension.DATABASE,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A row loaded with an awaited `AsyncSession` call — `await session.get(User, id)`, "
        "`(await session.execute(select(User)...)).scalar_one()`, `await session.scalars(...)`, "
        "or an `async def` of the project that returns one — has a relationship read "
        "(`user.orders`, `for o in user.orders`, `len(user.subscriptions)`) that the model "
        'declares with the default `lazy="select"`, and nothing loaded it: no '
        "`selectinload` / `joinedload` / `subqueryload` / `immediateload` option for it in the "
        'function that loaded the row, no `await session.refresh(user, ["orders"])`, no '
        "`await user.awaitable_attrs.orders`."
    ),
    why=(
        "A lazy load is a query run inside attribute access. Under asyncio SQLAlchemy cannot "
        'await it there: the read raises `sqlalchemy.exc.MissingGreenlet` ("greenlet_spawn has '
        'not been called"), so the handler or endpoint fails every time that code path runs — '
        "typically a rarely tested screen such as a user's order history or an admin view. "
        "Made to work with a sync session, the same code becomes an N+1: one query per row."
    ),
    fix="""Load the relationship with the row, or make it refuse lazy loading everywhere:

```python
from sqlalchemy import ForeignKey, select
from sqlalchemy.ext.asyncio import AsyncAttrs, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload


class Base(AsyncAttrs, DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    orders: Mapped[list["Order"]] = relationship(back_populates="user", lazy="raise")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    user: Mapped[User] = relationship(back_populates="orders", lazy="raise")


async def order_count(session: AsyncSession, user_id: int) -> int:
    query = select(User).where(User.id == user_id).options(selectinload(User.orders))
    user = (await session.execute(query)).scalar_one()
    return len(user.orders)
```""",
    migration=(
        "Add `.options(selectinload(Model.relationship))` (collections) or `joinedload(...)` "
        "(many-to-one) to the query that loads the row; for a row you already hold, `await "
        'session.refresh(row, ["relationship"])` or `await row.awaitable_attrs.relationship` '
        '(with the `AsyncAttrs` mixin on the base). Then declare relationships `lazy="raise"` '
        "so any load you forgot fails in tests with a clear error instead of in production."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html#preventing-implicit-io-when-using-asyncsession",
        "https://docs.sqlalchemy.org/en/20/errors.html#error-xd2s",
        "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html",
    ),
)

_LAZY = frozenset({"select", "True"})


def _collection(table: Table, relationship: Relationship, models: Mapping[str, Table]) -> bool:
    """A collection: declared so, or (undeclared) the target's table references this one
    and not the other way round. A many-to-one is left out: its lazy load is answered from
    the session's identity map without a query when the target row is already loaded."""
    if relationship.many is not None:
        return relationship.many
    target = models.get(relationship.target.strip("\"'").rsplit(".", 1)[-1])
    if target is None:
        return False
    points = {fk.split(".")[0] for c in target.columns for fk in c.foreign_keys}
    back = {fk.split(".")[0] for c in table.columns for fk in c.foreign_keys}
    return table.name in points and target.name not in back


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Only rows whose model the schema knows and relationships it declares lazy="select";
    eager options anywhere in the loading function (or ones it cannot read) silence it."""
    models = schema_models(ctx.project)
    lazy = {
        model: {
            r.name: r
            for r in table.relationships
            if r.lazy in _LAZY and _collection(table, r, models)
        }
        for model, table in models.items()
    }
    names = {name for relationships in lazy.values() for name in relationships}
    if not names:
        return
    for parsed in ctx.files:
        text = "\n".join(parsed.source.lines)
        if "await" not in text or not any(f".{name}" in text for name in names):
            continue
        found = helpers(parsed, ctx.project, ctx.files, models)
        for _, function in async_functions(parsed):
            reads = [r for r in attribute_reads(function) if r.attr in names]
            if not reads:
                continue
            eager = loaded_eagerly(function)
            if eager is None:
                continue
            rows = async_rows(function, parsed, models, found)
            assigned = assigned_attributes(function)
            for read in reads:
                row = row_at(rows, read.owner, read.node.lineno)
                relationship = lazy.get(row.model, {}).get(read.attr) if row else None
                if row is None or relationship is None or row.how == "new":
                    continue
                if read.attr in eager or row.eager is None or read.attr in row.eager:
                    continue
                if (read.owner, read.attr) in assigned:
                    continue
                where = "" if row.how == "load" else " by a project function"
                yield ctx.finding(
                    parsed,
                    read.node,
                    f"`{read.owner}.{read.attr}` lazy-loads `{row.model}.{read.attr}` "
                    f'({relationship.evidence}, lazy="select") on a row loaded{where} through '
                    f"an AsyncSession on line {row.line}: this raises MissingGreenlet",
                    confidence=Confidence.HIGH if row.how == "load" else None,
                )
