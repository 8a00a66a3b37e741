"""QUAL001: a large share of the public functions carry no type hints."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Evidence
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="QUAL001",
    name="public-functions-without-type-hints",
    title="Many public functions without type hints",
    dimension=Dimension.QUALITY,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "At least a quarter of the project's public functions and methods (20 or more in all; "
        "names without a leading underscore, dunders and Alembic migrations not counted) have "
        "no annotation at all — no parameter type, no return type. Partly annotated ones are "
        "counted apart and not held against the project."
    ),
    why=(
        "Without hints, mypy / pyright check nothing in those functions: a `None` returned on "
        "the error path, an `int` user id passed where a `str` is expected, an `await` "
        "forgotten on a coroutine reach production and fail at run time — typically in the "
        "rarely run branches (payment failures, refunds). Untyped code is also where IDE "
        "navigation and refactors silently miss call sites."
    ),
    fix="""Annotate parameters and return types, starting with services and repositories:

```python
from decimal import Decimal


async def charge(user_id: int, amount: Decimal, *, idempotency_key: str) -> str | None:
    if amount <= 0:
        return None
    return f"{user_id}:{idempotency_key}"
```

Then make the type checker hold the line: `[tool.mypy] strict = true` for new modules
(`disallow_untyped_defs`) and run it in CI.""",
    migration=(
        "Run `mypy --disallow-untyped-defs` per package (or pyright in basic mode) to list the "
        "functions, annotate package by package starting with the domain and services, and "
        "enable strictness per module with `[[tool.mypy.overrides]]` as each is done; "
        "`ruff`'s ANN rules keep new code annotated."
    ),
    libraries=("mypy", "ruff"),
    references=(
        "https://mypy.readthedocs.io/en/stable/existing_code.html",
        "https://docs.astral.sh/ruff/rules/#flake8-annotations-ann",
    ),
)
_MIN_PUBLIC = 20
_SHARE = 0.25
_SHOWN = 3


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    per_file = [(f.path, hints) for f in ctx.project.facts for hints in f.type_hints]
    public = sum(h.public for _, h in per_file)
    untyped = sum(len(h.untyped) for _, h in per_file)
    if public < _MIN_PUBLIC or untyped < _SHARE * public:
        return
    partial = sum(h.partial for _, h in per_file)
    worst = sorted((f for f in per_file if f[1].untyped), key=lambda f: (-len(f[1].untyped), f[0]))
    listed = ", ".join(f"{path} ({len(h.untyped)})" for path, h in worst[:_SHOWN])
    path, hints = worst[0]
    yield ctx.finding_at(
        Evidence(path, hints.untyped[0][1]),
        f"{untyped} of {public} public functions ({untyped * 100 // public}%) have no type "
        f"hints at all ({partial} more are partly annotated); most in {listed}",
    )
