"""ARC002: an import breaks one of the project's own import-linter contracts."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.contracts import broken_imports
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ARC002",
    name="import-linter-contract-broken",
    title="An import breaks the project's import-linter contract",
    dimension=Dimension.ARCHITECTURE,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "The project declares import-linter contracts (`[tool.importlinter]` in "
        "pyproject.toml, `setup.cfg` or `.importlinter`) and a direct import breaks one: a "
        "lower layer imports a higher one (`layers`), a source module imports a forbidden "
        "one (`forbidden`), or two independent modules import each other (`independence`). "
        "Only direct imports are checked here; `lint-imports` also follows chains."
    ),
    why=(
        "The contract is the team's own statement of the architecture; an import that breaks "
        "it means `lint-imports` is not run in CI (or its failures are ignored), so the "
        "layering erodes one convenient import at a time until the contract is deleted."
    ),
    fix="""Remove the import — move the code to the layer that may use it, or inject it — and make
CI run the contracts so the next one fails the build:

```python
from typing import Protocol


class Notifier(Protocol):  # the service depends on this, not on the handlers module
    async def notify(self, user_id: int, text: str) -> None: ...


async def renew(user_id: int, notifier: Notifier) -> None:
    await notifier.notify(user_id, "Renewed")
```

```toml
[[tool.importlinter.contracts]]
name = "Layers"
type = "layers"
layers = ["app.handlers", "app.services", "app.domain"]
```

and `lint-imports` in the CI workflow.""",
    migration=(
        "Fix the imports listed (an `ignore_imports` entry with a comment is acceptable for a "
        "known, scheduled exception), then add `lint-imports` to the CI workflow or the "
        "pre-commit configuration so the contract fails the build when broken again."
    ),
    libraries=("import-linter",),
    references=(
        "https://import-linter.readthedocs.io/en/stable/contract_types.html",
        "https://import-linter.readthedocs.io/en/stable/usage.html",
    ),
)
_SHOWN = 3


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    for contract in ctx.project.tooling.contracts:
        broken = list(broken_imports(contract, ctx.project.facts))
        if not broken:
            continue
        listed = ", ".join(f"`{b.importer} → {b.imported}`" for b in broken[:_SHOWN])
        more = f", +{len(broken) - _SHOWN} more" if len(broken) > _SHOWN else ""
        yield ctx.finding_at(
            broken[0].evidence,
            f"{len(broken)} import(s) break the {contract.kind} contract "
            f"'{contract.name}' ({contract.evidence}): {listed}{more}",
        )
