"""QUAL002: an HTTP route reads its body as a plain dict instead of a validated model."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.rules.defs import def_at
from prodready.analysis.semantic import FunctionNode
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="QUAL002",
    name="untyped-route-payload",
    title="Route payload handled as a plain dict",
    dimension=Dimension.QUALITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A FastAPI / Starlette / aiohttp route takes its body as `dict`, `Dict[str, Any]` or "
        "`Any` — or reads `await request.json()` — and picks fields out of it itself "
        "(`data['status']`, `data.get('amount')`) instead of parsing it into a pydantic "
        "model. A payload handed whole to a parser or a use case, and Telegram update routes, "
        "are not reported."
    ),
    why=(
        "Nothing checks the payload: a missing field raises `KeyError` (a 500 the provider "
        "retries forever), a string amount slips into arithmetic, an unexpected type reaches "
        "the database, and a payment callback with a forged or malformed body is processed "
        "half-way. The accepted shape lives only in scattered `.get()` calls, so the API "
        "documentation (OpenAPI) shows nothing either."
    ),
    fix="""Declare the payload as a pydantic model; FastAPI validates it and answers 422 otherwise:

```python
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter()


class PaymentEvent(BaseModel):
    event: Literal["payment.succeeded", "payment.canceled"]
    payment_id: str
    amount: Decimal


@router.post("/webhooks/payments")
async def payment_webhook(event: PaymentEvent) -> dict[str, str]:
    return {"status": "accepted", "payment": event.payment_id}
```

aiohttp: `event = PaymentEvent.model_validate(await request.json())`.""",
    migration=(
        "Write the model from the provider's documented payload (or from logged samples), "
        "allow unknown extra fields (`model_config = ConfigDict(extra='ignore')`), replace "
        "the dict lookups with attributes route by route, and keep the signature / secret "
        "check before parsing."
    ),
    libraries=("pydantic", "fastapi"),
    references=(
        "https://fastapi.tiangolo.com/tutorial/body/",
        "https://docs.pydantic.dev/latest/concepts/models/",
    ),
)
_LOOSE = frozenset({"dict", "Dict", "typing.Dict", "Any", "typing.Any", "object"})
_FRAMEWORK_PARAMS = frozenset({"request", "req", "background_tasks", "response"})
_NOT_BODY = frozenset({"Depends", "Security", "Query", "Header", "Path", "Cookie", "File", "Form"})


def _loose(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    text = ast.unparse(base)
    if text in {"Annotated", "typing.Annotated"} and isinstance(annotation, ast.Subscript):
        inner = annotation.slice
        first = inner.elts[0] if isinstance(inner, ast.Tuple) else inner
        return _loose(first)
    return text in _LOOSE


def _json_names(function: FunctionNode) -> set[str]:
    """Names assigned `await <request>.json()`."""
    names: set[str] = set()
    for node in ast.walk(function):
        value = node.value if isinstance(node, ast.Assign) else None
        call = value.value if isinstance(value, ast.Await) else None
        if (
            isinstance(node, ast.Assign)
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "json"
            and not call.args
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _picked(function: FunctionNode, names: set[str]) -> bool:
    """`data["x"]` or `data.get("x")` on one of `names`."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in names
            and isinstance(node.slice, ast.Constant)
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr == "get" and isinstance(owner, ast.Name) and owner.id in names:
                return True
    return False


def _not_body(default: ast.expr | None, annotation: ast.expr | None) -> bool:
    """A dependency, query, header, path or form parameter (not the request body)."""
    markers = [default] if default is not None else []
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
        markers += annotation.slice.elts[1:]
    for marker in markers:
        if isinstance(marker, ast.Call):
            name = ast.unparse(marker.func).rsplit(".", 1)[-1]
            if name in _NOT_BODY:
                return True
    return default is not None and not isinstance(default, ast.Call)


def _body_params(function: FunctionNode, path: str) -> Iterator[ast.arg]:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    pairs = [*zip(positional, [*defaults, *args.defaults], strict=False)]
    pairs += [*zip(args.kwonlyargs, args.kw_defaults, strict=False)]
    for arg, default in pairs:
        in_path = "{" + arg.arg in path
        if (
            arg.arg not in _FRAMEWORK_PARAMS
            and not in_path
            and not _not_body(default, arg.annotation)
        ):
            yield arg


def _problem(function: FunctionNode, framework: str, path: str) -> str | None:
    if framework != "aiohttp":
        for arg in _body_params(function, path):
            if _loose(arg.annotation) and _picked(function, {arg.arg}):
                return f"parameter `{arg.arg}: {ast.unparse(arg.annotation or arg)}`"
    names = _json_names(function)
    if names and _picked(function, names):
        return f"`{sorted(names)[0]} = await request.json()` read field by field"
    return None


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    for route in project.model.routes:
        if route.receives == "telegram" or route.method.upper() in {"GET", "HEAD", "DELETE"}:
            continue
        info = project.calls.functions.get(route.function)
        parsed = ctx.file(info.evidence.path) if info is not None else None
        node = def_at(parsed, info.evidence.line) if parsed and info else None
        problem = _problem(node, route.framework, route.path) if node is not None else None
        if problem is not None:
            yield ctx.finding_at(
                route.evidence,
                f"`{route.method} {route.path}` takes its payload untyped ({problem}): "
                "nothing validates its shape",
            )
