"""DB012: money stored in a binary floating-point column."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.schema_names import is_float, is_money
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="DB012",
    name="money-as-float",
    title="Money stored as a floating-point number",
    dimension=Dimension.DATABASE,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "A column whose name says it holds money — `amount`, `price`, `balance`, `cost`, "
        "`total`, `fee`, `payout`, `revenue`, `*_usd`, `*_rub`, `*_kopeks`, and not a rate, "
        "percentage or quantity (`exchange_rate`, `discount_percent`, `traffic_gb`) — is "
        "typed `Float` / `Double` / `REAL` (also `Mapped[float]` with no explicit type, which "
        "SQLAlchemy maps to `Float`)."
    ),
    why=(
        "Binary floating point cannot represent most decimal amounts: `0.1 + 0.2` is "
        "`0.30000000000000004`. Balances built by adding and subtracting drift by fractions of "
        "a cent, `balance >= price` fails for a user who has exactly enough, totals in reports "
        "disagree with the payment provider's, and rounding differs between Python and "
        "PostgreSQL. The errors are small, permanent and found by accountants months later."
    ),
    fix="""Store exact decimals (`Numeric`, read as `decimal.Decimal`) or integer minor units,
as Telegram does (`total_amount` is an integer in the currency's smallest units; Stars are
whole numbers):

```python
from decimal import Decimal

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Wallet(Base):
    __tablename__ = "wallets"

    id: Mapped[int] = mapped_column(primary_key=True)
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    amount_kopeks: Mapped[int] = mapped_column(BigInteger, default=0)
```

Do the arithmetic in `Decimal` too (`Decimal(str(x))`, never `Decimal(float)`), and round with
`quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)` once, where the rules say.""",
    migration=(
        "Change the type in place: `op.alter_column('wallets', 'balance', "
        "type_=sa.Numeric(12, 2), postgresql_using='round(balance::numeric, 2)')` — this "
        "rewrites the table under an exclusive lock, so on a large table add a new `Numeric` "
        "column, backfill it in batches, switch the code to it and drop the old one later "
        "(expand–contract). Audit balances for drift before and after, and change the Python "
        "side (`float` → `Decimal`) in the same release."
    ),
    libraries=("sqlalchemy", "alembic"),
    references=(
        "https://docs.sqlalchemy.org/en/20/core/type_basics.html#sqlalchemy.types.Numeric",
        "https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-NUMERIC-DECIMAL",
        "https://docs.python.org/3/tutorial/floatingpoint.html",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    for table in ctx.project.model.schema.tables:
        for column in table.columns:
            if is_float(column) and is_money(column.name):
                yield ctx.finding_at(
                    column.evidence,
                    f"`{table.name}.{column.name}` holds money in a {column.type or 'Float'} "
                    "column: sums and balances drift by rounding errors",
                )
