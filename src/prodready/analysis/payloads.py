"""How an HTTP route takes its payload: body parameters (not dependencies, query, header or
path parameters), loose annotations (`dict`, `Dict[str, Any]`, `Any`), `await
request.json()` results, and whether the route picks fields out of them itself."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.semantic import FunctionNode

_LOOSE = frozenset({"dict", "Dict", "typing.Dict", "Any", "typing.Any", "object"})
_FRAMEWORK_PARAMS = frozenset({"request", "req", "background_tasks", "response"})
_NOT_BODY = frozenset({"Depends", "Security", "Query", "Header", "Path", "Cookie", "File", "Form"})


def loose_annotation(annotation: ast.expr | None) -> bool:
    """`dict`, `Dict[...]`, `Any`, `object`, also inside `Annotated[...]`."""
    if annotation is None:
        return False
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    text = ast.unparse(base)
    if text in {"Annotated", "typing.Annotated"} and isinstance(annotation, ast.Subscript):
        inner = annotation.slice
        first = inner.elts[0] if isinstance(inner, ast.Tuple) else inner
        return loose_annotation(first)
    return text in _LOOSE


def json_names(function: FunctionNode) -> set[str]:
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


def picks_fields(function: FunctionNode, names: set[str]) -> bool:
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


def body_params(function: FunctionNode, path: str) -> Iterator[ast.arg]:
    """Parameters that FastAPI fills from the body: not the request, not `{path}` ones, not
    `Depends` / `Query` / `Header` ... ones, not plain defaults (query parameters)."""
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


def untyped_payload(function: FunctionNode, framework: str, path: str) -> str | None:
    """What shows the route handles its payload untyped, or None: a loose body parameter
    it reads fields from (FastAPI / Starlette), or `await request.json()` read field by
    field (any framework). Django and aiohttp views take no body parameters."""
    if framework not in {"aiohttp", "django"}:
        for arg in body_params(function, path):
            if loose_annotation(arg.annotation) and picks_fields(function, {arg.arg}):
                return f"parameter `{arg.arg}: {ast.unparse(arg.annotation or arg)}`"
    names = json_names(function)
    if names and picks_fields(function, names):
        return f"`{sorted(names)[0]} = await request.json()` read field by field"
    return None
