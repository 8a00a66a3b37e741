"""QUAL003: no linter or type checker is configured for the project."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Evidence
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="QUAL003",
    name="no-linter-configured",
    title="No linter or type checker configured",
    dimension=Dimension.QUALITY,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "The project folder configures no linter or type checker: no `[tool.ruff]`, "
        "`[tool.mypy]`, `[tool.pyright]`, `[tool.pylint]` in pyproject.toml, no `[flake8]` / "
        "`[mypy]` in setup.cfg or tox.ini, no ruff.toml, .flake8, mypy.ini or "
        "pyrightconfig.json, and none is named in pre-commit, CI workflows, the Makefile or "
        "dev requirements. Projects of fewer than 5 modules are not reviewed."
    ),
    why=(
        "The cheapest bugs to catch are the ones a linter catches in a second: an unused "
        "`await`-less coroutine, a name shadowed in an `except`, a blocking call in async "
        "code, a variable used before assignment on one branch. Without a linter in CI they "
        "reach production, and style drifts until reviews argue about formatting instead "
        "of behaviour."
    ),
    fix="""Configure ruff (lint + format) and a type checker in pyproject.toml:

```toml
[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "ASYNC", "BLE", "S", "RUF"]

[tool.mypy]
strict = true
```

and run them on every push (CI or a nox / pre-commit session):

```python
import nox


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff", "mypy")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "app")
```""",
    migration=(
        "Add the configuration, run `ruff check --fix` and `ruff format` once in a separate "
        "commit, record the remaining findings with `ruff check --add-noqa` (or a per-file "
        "ignore list) so CI can start green, and add both tools to pre-commit and the CI "
        "workflow; tighten the rule set module by module."
    ),
    libraries=("ruff", "mypy"),
    references=(
        "https://docs.astral.sh/ruff/configuration/",
        "https://mypy.readthedocs.io/en/stable/config_file.html",
    ),
)
_MIN_MODULES = 5


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    tooling = project.tooling
    if not tooling.scanned or tooling.linters or len(project.facts) < _MIN_MODULES:
        return
    profile = service_profile(project)
    where = profile.entry if profile is not None else Evidence(project.facts[0].path)
    yield ctx.finding_at(
        where,
        f"{len(project.facts)} modules and no linter or type checker configured (no ruff, "
        "flake8, pylint, mypy or pyright settings, nor any in pre-commit or CI)",
    )
