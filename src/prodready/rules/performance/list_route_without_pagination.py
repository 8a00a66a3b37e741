"""PERF004: an API route returns a whole table as a list, with no pagination."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.defs import def_at
from prodready.rules.rows import function_loads_every_row, growing_collection

META = RuleMeta(
    id="PERF004",
    name="list-route-without-pagination",
    title="List endpoint without pagination",
    dimension=Dimension.PERFORMANCE,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A FastAPI / Starlette GET route declares a list response (`response_model=list[X]`, "
        "`-> list[X]`), takes no paging parameter (`limit`, `offset`, `page`, `cursor`, "
        "`size`, fastapi-pagination `Params`), and it or a function it calls loads every "
        "matching row (`.scalars().all()` with no `.limit()`). Only lists of what grows "
        "with use are reported (users, payments, orders, messages, logs...), not catalogue "
        "tables such as tariffs or servers."
    ),
    why=(
        "The response grows with the table: an admin list of users or payments that took 50 "
        "ms with a hundred rows takes seconds and hundreds of MB with a hundred thousand, "
        "holds a connection meanwhile, and one request from a script can exhaust the "
        "service's memory. Clients cannot page through it either."
    ),
    fix="""Take a bounded limit and a keyset (or offset) cursor, and apply them in the query:

```python
from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

router = APIRouter()


@router.get("/payments")
async def list_payments(
    session: AsyncSession,
    after_id: int = 0,
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, int]]:
    query = select(Payment).where(Payment.id > after_id).order_by(Payment.id).limit(limit)
    rows = (await session.scalars(query)).all()
    return [{"id": row.id, "amount": row.amount} for row in rows]
```""",
    migration=(
        "Add `limit` (with a maximum) and a cursor parameter to each listed route and to "
        "its query; keep the old behaviour for existing clients by defaulting to the first "
        "page, and return the next cursor. fastapi-pagination provides `Page[X]` with "
        "limit/offset and cursor styles if you prefer a library."
    ),
    libraries=("fastapi", "sqlalchemy"),
    references=(
        "https://use-the-index-luke.com/no-offset",
        "https://fastapi.tiangolo.com/tutorial/query-params-str-validations/",
    ),
)
_PAGING = frozenset(
    {"limit", "offset", "page", "page_size", "per_page", "size", "skip", "take", "cursor"}
    | {"after", "before", "after_id", "before_id", "start", "params", "pagination", "paging"}
)


def _is_list(annotation: ast.AST | None) -> bool:
    if isinstance(annotation, ast.Subscript):
        return ast.unparse(annotation.value).rsplit(".", 1)[-1] in {"list", "List", "Sequence"}
    return False


def _decorator(node: ast.AST, line: int) -> ast.Call | None:
    decorators = getattr(node, "decorator_list", [])
    return next((d for d in decorators if isinstance(d, ast.Call) and d.lineno == line), None)


def _unpaged_list(node: ast.FunctionDef | ast.AsyncFunctionDef, line: int) -> bool:
    decorator = _decorator(node, line)
    model = (
        next((k.value for k in decorator.keywords if k.arg == "response_model"), None)
        if decorator
        else None
    )
    if not (_is_list(model) or (model is None and _is_list(node.returns))):
        return False
    args = node.args
    names = {a.arg.lower() for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    return not (names & _PAGING or any("pagin" in n or "page" in n for n in names))


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    for route in project.model.routes:
        if route.method.upper() != "GET" or route.framework not in {"fastapi", "starlette"}:
            continue
        if not growing_collection(route.path, route.function):
            continue
        info = project.calls.functions.get(route.function)
        parsed = ctx.file(info.evidence.path) if info is not None else None
        node = def_at(parsed, info.evidence.line) if parsed and info else None
        if node is None or not _unpaged_list(node, route.evidence.line):
            continue
        loaders = [route.function, *project.calls.callees(route.function)]
        loader = next((f for f in loaders if function_loads_every_row(project, ctx.files, f)), None)
        if loader is not None:
            via = "" if loader == route.function else f" (through `{loader.rsplit('.', 1)[-1]}`)"
            yield ctx.finding_at(
                route.evidence,
                f"`GET {route.path}` returns every matching row as one list{via} and takes no "
                "limit or cursor: the response grows with the table",
            )
