"""QUAL004: a service with no tests at all."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Evidence
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="QUAL004",
    name="no-tests",
    title="No tests at all",
    dimension=Dimension.QUALITY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "The project runs a service and its folder holds no test: no `tests/` or `test/` "
        "folder with Python files, no `test_*.py`, `*_test.py` or `conftest.py` anywhere "
        "(virtual environments and build folders not searched)."
    ),
    why=(
        "Every change ships untested: a refactor of the payment handler, a dependency upgrade "
        "(aiogram 3.x, SQLAlchemy 2.x, pydantic 2 break APIs between minor versions) or a "
        "fix for one bug is only checked by users in production. Without tests nobody dares "
        "to change the core code, so fixes pile up as special cases around it."
    ),
    fix="""Start with tests of the money paths, run against a real database in CI:

```python
import pytest


@pytest.mark.asyncio
async def test_successful_payment_extends_subscription_once(billing, user) -> None:
    await billing.on_successful_payment(user.id, charge_id="ch_1", months=1)
    await billing.on_successful_payment(user.id, charge_id="ch_1", months=1)  # redelivered
    subscription = await billing.subscription(user.id)
    assert subscription.months == 1
```""",
    migration=(
        "Add pytest with pytest-asyncio, a `tests/` folder and a fixture that creates the "
        "schema with Alembic in a throwaway PostgreSQL (testcontainers or a CI service). "
        "Cover payments, subscription changes and the handlers' happy paths first; require "
        "the suite in CI before merging; add a test with every bug fix."
    ),
    libraries=("pytest", "pytest-asyncio"),
    references=(
        "https://docs.pytest.org/en/stable/getting-started.html",
        "https://pytest-asyncio.readthedocs.io/en/latest/",
    ),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    tooling = project.tooling
    if not tooling.scanned or not tooling.tests_known or tooling.first_test is not None:
        return
    profile = service_profile(project)
    if profile is None:
        return
    yield ctx.finding_at(
        profile.entry if profile.entry.path else Evidence(project.facts[0].path),
        f"this {'/'.join(profile.kinds)} service has no test file anywhere in the project",
    )
