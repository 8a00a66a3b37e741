"""ARC003: modules that import each other when they are imported (import cycles)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from prodready.analysis.project.layers import big_enough, import_cycles, import_edges
from prodready.analysis.project.model import Evidence
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ARC003",
    name="import-cycle",
    title="Import cycles between modules",
    dimension=Dimension.ARCHITECTURE,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "Groups of modules import each other at import time (module-level imports; those "
        "inside functions and under `if TYPE_CHECKING:` are not counted): one finding lists "
        "a shortest cycle of each group with the imports that close it. A package and its own "
        "submodules (`__init__` re-exports) are not counted; projects under 15 modules are "
        "not reviewed."
    ),
    why=(
        "Whether a cycle works depends on which module happens to be imported first: a new "
        "import elsewhere, a test importing one module alone, or a refactor turns it into "
        "`ImportError: cannot import name ... (most likely due to a circular import)` at "
        "start-up. Cycles also mean no module of the group can be understood, tested or "
        "moved without the others — the layers have collapsed into one."
    ),
    fix="""Break each cycle by moving what both sides need into a third module both import, or
by inverting one dependency (a Protocol, an argument, a registry filled at start-up):

```python
# app/texts.py — shared by handlers and services, imports neither
SUBSCRIPTION_RENEWED = "Your subscription was renewed until {until:%d.%m.%Y}"


# app/services/renewal.py
from app.texts import SUBSCRIPTION_RENEWED


def renewal_text(until: "datetime.date") -> str:
    return SUBSCRIPTION_RENEWED.format(until=until)
```""",
    migration=(
        "Start with the shortest cycles listed. Do not hide a cycle by moving the import "
        "into a function: it still couples the modules (ARC001 and import-linter count it). "
        "Add an import-linter `layers` or `independence` contract once the group is split, "
        "so the cycle cannot come back."
    ),
    libraries=("import-linter",),
    references=(
        "https://import-linter.readthedocs.io/en/stable/contract_types.html#independence",
        "https://docs.python.org/3/faq/programming.html#what-are-the-best-practices-for-using-import-in-a-module",
    ),
)
_SHOWN = 5


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if not big_enough(ctx.project.facts):
        return
    edges = import_edges(ctx.project.facts)
    cycles = import_cycles(edges)
    if not cycles:
        return
    described = []
    for cycle in cycles[:_SHOWN]:
        steps = [f"{a} → {b} (line {edges[a][b][1]})" for a, b in itertools.pairwise(cycle)]
        described.append("; ".join(steps))
    more = f" (+{len(cycles) - _SHOWN} more)" if len(cycles) > _SHOWN else ""
    first = edges[cycles[0][0]][cycles[0][1]]
    yield ctx.finding_at(
        Evidence(*first),
        f"{len(cycles)} import cycle(s){more}: " + " | ".join(f"[{d}]" for d in described),
    )
