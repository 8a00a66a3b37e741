"""ARC004: handlers and routes that hold the business logic themselves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.project.effects import Effects
from prodready.analysis.project.layers import big_enough
from prodready.analysis.project.model import Evidence, FunctionSize
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ARC004",
    name="business-logic-in-handlers",
    title="Business logic written inside handlers and routes",
    dimension=Dimension.ARCHITECTURE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "Bot handlers or HTTP routes that do everything themselves: their own body queries or "
        "writes the database (`session.execute`, `select(...)`, `commit`) *and* calls an "
        "external API *and* decides (3+ branches) — or is simply large (60+ statements or 12+ "
        "branches). One finding lists the worst offenders with their size. Projects under 15 "
        "modules are not reviewed."
    ),
    why=(
        "Logic inside a handler can only run through Telegram or HTTP: it cannot be reused by "
        "the admin panel, the payment webhook or a background job (so it gets copied, and the "
        "copies drift), and it cannot be tested without faking an update. Transactions end "
        "up spanning network calls, error handling is repeated per handler, and a change to "
        "a pricing rule means editing a 150-line function between keyboard code."
    ),
    fix="""Keep the handler thin — parse, call one use case, render — and move the decisions,
queries and external calls into a service that receives its dependencies:

```python
from aiogram import F, Router
from aiogram.types import CallbackQuery

router = Router()


@router.callback_query(F.data.startswith("buy:"))
async def buy(query: CallbackQuery, purchases: "PurchaseService") -> None:
    plan_id = int(query.data.split(":")[1])
    result = await purchases.buy(user_id=query.from_user.id, plan_id=plan_id)
    await query.message.edit_text(result.text, reply_markup=result.keyboard)
```

The service gets its session and clients from an aiogram middleware (or FastAPI `Depends`,
or a DI container such as dishka) and is tested without Telegram.""",
    migration=(
        "Start with the handlers listed: extract the body below the argument parsing into a "
        "service method returning a small result object, inject the service through "
        "middleware data, and cover it with unit tests using fake repositories. Do it "
        "handler by handler; new features go straight into services."
    ),
    libraries=("aiogram", "fastapi"),
    references=(
        "https://www.cosmicpython.com/book/chapter_04_service_layer.html",
        "https://docs.aiogram.dev/en/latest/dispatcher/dependency_injection.html",
    ),
)

_STATEMENTS, _BRANCHY, _DECIDES = 60, 12, 3
_SHOWN = 5


@dataclass(frozen=True, slots=True)
class _Size:
    name: str
    evidence: Evidence
    size: FunctionSize
    external: bool

    @property
    def mixed(self) -> bool:
        return self.size.database and self.external and self.size.branches >= _DECIDES

    @property
    def fat(self) -> bool:
        return self.size.statements >= _STATEMENTS or self.size.branches >= _BRANCHY

    def __str__(self) -> str:
        on = (("DB", self.size.database), ("API", self.external))
        work = " + ".join(w for w, flag in on if flag)
        return (
            f"{self.name} ({self.evidence}): {self.size.statements} statements, "
            f"{self.size.branches} branches{', ' + work if work else ''}"
        )


def _sizes(ctx: ProjectContext) -> Iterator[_Size]:
    project = ctx.project
    effects = Effects(project)
    sizes = {(f.path, s.line): s for f in project.facts for s in f.function_sizes}
    entries = [h.function for h in project.model.handlers]
    entries += [r.function for r in project.model.routes]
    for name in dict.fromkeys(entries):
        info = project.calls.functions.get(name)
        size = sizes.get((info.evidence.path, info.evidence.line)) if info else None
        if info is not None and size is not None:
            external = any(e.external for e in effects.direct.get(name, ()))
            yield _Size(name.rsplit(".", 1)[-1], info.evidence, size, external)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if not big_enough(ctx.project.facts):
        return
    offenders = [s for s in _sizes(ctx) if s.mixed or s.fat]
    if not offenders:
        return
    offenders.sort(
        key=lambda s: (-(s.size.statements + 3 * s.size.branches + 20 * s.mixed), s.evidence)
    )
    listed = "; ".join(str(s) for s in offenders[:_SHOWN])
    more = f"; +{len(offenders) - _SHOWN} more" if len(offenders) > _SHOWN else ""
    yield ctx.finding_at(
        offenders[0].evidence,
        f"{len(offenders)} handler(s) / route(s) hold business logic themselves: {listed}{more}",
    )
