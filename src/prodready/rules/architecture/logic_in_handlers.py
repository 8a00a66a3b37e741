"""ARC004: handlers and routes that hold the business logic themselves."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.effects import Effects
from prodready.analysis.project.layers import big_enough
from prodready.analysis.revisit import function_at
from prodready.analysis.walk import iter_body
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

_DB_METHODS = frozenset(
    {"execute", "scalar", "scalars", "commit", "flush", "rollback", "add_all", "merge"}
    | {"fetch", "fetchrow", "fetchval", "execute_many", "refresh"}
)
_DB_WORDS = ("session", "conn", "db", "pool", "uow", "cursor")
_SQL = frozenset({"select", "update", "insert", "delete", "text"})
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.match_case, ast.IfExp)
_STATEMENTS, _BRANCHY, _DECIDES = 60, 12, 3
_SHOWN = 5


@dataclass(frozen=True, slots=True)
class _Size:
    name: str
    where: str
    statements: int
    branches: int
    database: bool
    external: bool

    @property
    def mixed(self) -> bool:
        return self.database and self.external and self.branches >= _DECIDES

    @property
    def fat(self) -> bool:
        return self.statements >= _STATEMENTS or self.branches >= _BRANCHY

    def __str__(self) -> str:
        work = " + ".join(w for w, on in (("DB", self.database), ("API", self.external)) if on)
        return (
            f"{self.name} ({self.where}): {self.statements} statements, {self.branches} "
            f"branches{', ' + work if work else ''}"
        )


def _database(node: ast.AST, qualified: dict[str, str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _DB_METHODS:
        receiver = (dotted_name(func.value) or "").rsplit(".", 1)[-1].lower()
        return any(word in receiver for word in _DB_WORDS)
    name = qualified.get(dotted_name(func) or "", "")
    return name.startswith("sqlalchemy.") and name.rsplit(".", 1)[-1] in _SQL


def _sizes(ctx: ProjectContext) -> Iterator[_Size]:
    project = ctx.project
    effects = Effects(project)
    entries = [h.function for h in project.model.handlers]
    entries += [r.function for r in project.model.routes]
    for name in dict.fromkeys(entries):
        info = project.calls.functions.get(name)
        parsed = ctx.file(info.evidence.path) if info is not None else None
        node = function_at(parsed, info.evidence.line) if parsed and info else None
        if node is None or info is None or parsed is None:
            continue
        imports = parsed.semantic.imports
        nodes = list(iter_body(node))
        qualified = {
            text: imports.qualified_name(n.func) or ""
            for n in nodes
            if isinstance(n, ast.Call) and (text := dotted_name(n.func))
        }
        yield _Size(
            name.rsplit(".", 1)[-1],
            str(info.evidence),
            sum(isinstance(n, ast.stmt) for n in nodes),
            sum(isinstance(n, _BRANCHES) for n in nodes),
            any(_database(n, qualified) for n in nodes),
            any(e.external for e in effects.direct.get(name, ())),
        )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if not big_enough(ctx.project.facts):
        return
    offenders = [s for s in _sizes(ctx) if s.mixed or s.fat]
    if not offenders:
        return
    offenders.sort(key=lambda s: (-(s.statements + 3 * s.branches + 20 * s.mixed), s.where))
    listed = "; ".join(str(s) for s in offenders[:_SHOWN])
    more = f"; +{len(offenders) - _SHOWN} more" if len(offenders) > _SHOWN else ""
    info = ctx.project.calls.functions
    first = next(i.evidence for i in info.values() if str(i.evidence) == offenders[0].where)
    yield ctx.finding_at(
        first,
        f"{len(offenders)} handler(s) / route(s) hold business logic themselves: {listed}{more}",
    )
