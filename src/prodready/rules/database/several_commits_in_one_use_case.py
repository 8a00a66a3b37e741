"""DB023: one use case commits the same session twice, with business writes before each."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.engines import long_running_path
from prodready.analysis.project.bodies import Code
from prodready.analysis.project.commits import Split, Step, Transactions
from prodready.analysis.project.effects import Effects
from prodready.analysis.project.model import Evidence
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB023",
    name="several-commits-in-one-use-case",
    title="One use case committed as several transactions",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A handler, route, job or the service function it calls commits the same session "
        "twice on one path, with database writes before each commit and nothing outside the "
        "database between them — directly (`await session.commit()` twice, two "
        "`async with session.begin():` blocks in a row) or by calling repository functions "
        "that each commit the session they are handed (`await repo.debit(...)`, then "
        "`await repo.create_order(...)`)."
    ),
    why=(
        "The use case is one change of the business state cut into two transactions. A crash, "
        "a deploy, a timeout or a constraint error between the commits leaves the first half "
        "durable and the second missing: the balance is debited with no order, the order "
        "marked paid with no subscription. No retry repairs it — re-running the handler "
        "debits again, because the first half is already committed — and nothing records "
        "that the state is inconsistent."
    ),
    fix="""Commit once per use case: let the session's owner (an aiogram middleware, a FastAPI
dependency, a unit of work) commit at the end, and use `flush()` where an id is needed first:

```python
from sqlalchemy.ext.asyncio import AsyncSession


async def buy(session: AsyncSession, user: "User", product: "Product") -> "Order":
    async with session.begin():  # one transaction: both rows or neither
        user.balance -= product.price
        order = Order(user_id=user.id, product_id=product.id, price=product.price)
        session.add(order)
        await session.flush()  # order.id is known, nothing is committed yet
        session.add(Purchase(order_id=order.id))
    return order
```""",
    migration=(
        "Move `commit()` out of repository methods: repositories `add` and `flush`, the "
        "handler's session owner commits once (an aiogram middleware that opens "
        "`async with sessionmaker() as session, session.begin():` per update, or a FastAPI "
        "dependency that yields the session inside `session.begin()`). Replace commits made "
        "only to read an autoincrement id with `await session.flush()`. Where an external "
        "call really must sit between two writes (create a payment, then record it), keep "
        "the split deliberate — commit a pending row, call, update — or write the intent to "
        "a transactional outbox (see PRAC001)."
    ),
    libraries=("sqlalchemy",),
    references=(
        "https://docs.sqlalchemy.org/en/20/orm/session_basics.html#when-do-i-construct-a-session-when-do-i-commit-it-and-when-do-i-close-it",
        "https://docs.sqlalchemy.org/en/20/orm/session_transaction.html",
        "https://martinfowler.com/eaaCatalog/unitOfWork.html",
    ),
)


# Code that fills or measures a database rather than serving a use case.
_NOT_USE_CASES = ("benchmark", "bench_", "seed", "fixtures", "demo_data")


def _line(step: Step) -> int:
    return int(getattr(step.node, "lineno", 0))


def _message(name: str, found: Split) -> str:
    first, second = found.first, found.second
    how = f"commits with {first.label}, then again with {second.label}"
    text = f"`{name}` {how} (line {_line(first)}), writes before each"
    if found.for_id:
        text += "; the first commit seems to fetch a new row's id, which `flush()` gives"
    return text + ": a failure between them leaves the first half committed"


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    effects = Effects(project)
    transactions = Transactions(Code(project, ctx.files), effects)
    for name, info in project.calls.functions.items():
        path = info.evidence.path
        if not long_running_path(path) or path.rsplit("/", 1)[-1].startswith(_NOT_USE_CASES):
            continue
        body = transactions.code.body(name)
        found = transactions.split(body) if body is not None else None
        if found is None or body is None:
            continue
        through = found.first.via or found.second.via or found.for_id
        yield ctx.finding_at(
            Evidence(body.path, _line(found.second)),
            _message(name.rsplit(".", 1)[-1], found),
            confidence=Confidence.LOW if through else None,
        )
