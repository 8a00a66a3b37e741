"""ARC001: a module imports against the direction of the layers."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.layers import (
    FORBIDDEN,
    big_enough,
    module_layers,
    owning_module,
)
from prodready.analysis.project.model import Evidence
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ARC001",
    name="layer-dependency-violation",
    title="Import against the direction of the layers",
    dimension=Dimension.ARCHITECTURE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A module imports a layer it must not depend on. Layers are read from "
        "`[tool.prodready.layers]`, else from what modules do (bot handlers and routes are "
        "transport, ORM tables infrastructure) and from package names (handlers / routers / "
        "tgbot: transport; services / usecases: application; domain / entities: domain; db / "
        "repositories / clients / infrastructure: infrastructure). Reported: the domain "
        "importing a framework, ORM or HTTP client (aiogram, FastAPI, SQLAlchemy, httpx...) or "
        "any outer layer; services importing handlers; infrastructure importing handlers. "
        "Projects under 15 modules, and projects with import-linter contracts (ARC002 "
        "checks those), are not reviewed."
    ),
    why=(
        "Dependencies that point outwards make the core impossible to test or reuse without "
        "the framework: a service that imports a handler module drags in the router, its "
        "filters and keyboards; a domain model that imports aiogram or SQLAlchemy changes "
        "when the framework does. Each such import is a first step towards import cycles, "
        "and a refactor of the bot layer then breaks billing."
    ),
    fix="""Depend inwards: handlers call services, services use repositories through interfaces,
the domain imports nothing of the outside. Pass what services need as arguments:

```python
from dataclasses import dataclass
from typing import Protocol


class Notifier(Protocol):
    async def notify(self, user_id: int, text: str) -> None: ...


@dataclass
class RenewSubscription:
    notifier: Notifier  # the bot implements it in the transport layer

    async def __call__(self, user_id: int) -> None:
        await self.notifier.notify(user_id, "Your subscription was renewed")
```

Then keep it so with an import-linter `layers` contract in CI.""",
    migration=(
        "Move the shared piece (a keyboard builder, a text, a helper) out of the handler "
        "module into the layer that needs it, or invert the dependency with a Protocol that "
        "the outer layer implements and injects (aiogram middleware data / FastAPI Depends). "
        "Then add `[tool.importlinter]` with a `layers` contract listing your packages top "
        "(handlers) to bottom (domain) and run `lint-imports` in CI so new violations fail "
        "the build; if the guessed layers are wrong, set `[tool.prodready.layers]`."
    ),
    libraries=("import-linter",),
    references=(
        "https://import-linter.readthedocs.io/en/stable/contract_types.html#layers",
        "https://www.cosmicpython.com/book/chapter_02_repository.html",
    ),
)

_FRAMEWORKS: tuple[str, ...] = (
    "aiogram",
    "telegram",
    "fastapi",
    "starlette",
    "aiohttp",
    "httpx",
    "requests",
)
_FRAMEWORKS += ("sqlalchemy", "asyncpg", "redis", "motor", "tortoise", "pymongo")
_SHOWN = 3


def _violations(ctx: ProjectContext) -> dict[tuple[str, str], list[tuple[Evidence, str]]]:
    """(importer layer, imported layer or "frameworks") -> (where, "importer → imported")."""
    facts = ctx.project.facts
    layers = module_layers(facts, ctx.project.model.layers)
    modules = {fact.module for fact in facts}
    found: dict[tuple[str, str], list[tuple[Evidence, str]]] = {}
    for fact in facts:
        layer = layers.get(fact.module, "")
        seen: set[str] = set()
        for imported in fact.module_imports:
            target = owning_module(imported.target, modules)
            if target is not None and target != fact.module:
                kind = layers.get(target, "")
                shown = target
            else:
                kind = "frameworks" if layer == "domain" else ""
                shown = imported.target.split(".")[0]
                kind = kind if shown in _FRAMEWORKS and target is None else ""
            if kind in (*FORBIDDEN.get(layer, ()), "frameworks") and kind and shown not in seen:
                seen.add(shown)
                where = Evidence(fact.path, imported.line)
                found.setdefault((layer, kind), []).append((where, f"{fact.module} → {shown}"))
    return found


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    if project.tooling.contracts or not big_enough(project.facts):
        return
    for (layer, kind), imports in sorted(_violations(ctx).items()):
        modules = len({text.split(" → ")[0] for _, text in imports})
        listed = ", ".join(f"`{text}`" for _, text in imports[:_SHOWN])
        more = f", +{len(imports) - _SHOWN} more" if len(imports) > _SHOWN else ""
        yield ctx.finding_at(
            imports[0][0],
            f"{modules} {layer} module(s) import {kind} ({len(imports)} import(s)): {listed}{more}",
        )
