"""aiohttp.web: routes, the Application, its signals and middlewares, `run_app`."""

from __future__ import annotations

import ast
from types import MappingProxyType

from prodready.analysis.project.adapters._asgi import HTTP_METHODS
from prodready.analysis.project.adapters._common import (
    FunctionNode,
    argument,
    function_argument,
    keyword,
)
from prodready.analysis.project.adapters._index import (
    Scope,
)
from prodready.analysis.project.adapters._web import WebFound, framework_of
from prodready.analysis.project.model import EntryPoint, Route

_APPS = frozenset({"aiohttp.web.Application", "aiohttp.web_app.Application"})
_RUN = frozenset({"aiohttp.web.run_app", "aiohttp.web_runner.run_app"})
# `app.on_startup.append(f)` and friends -> hook kind.
_SIGNALS = MappingProxyType(
    {
        "on_startup": "startup",
        "on_shutdown": "shutdown",
        "on_cleanup": "shutdown",
        "cleanup_ctx": "lifespan",
    }
)


def _route(
    found: WebFound,
    at: ast.AST,
    shape: tuple[ast.AST | None, ast.AST, str],
    scope: Scope,
    router: str = "",
) -> None:
    """A route from (path, handler, method)."""
    index = found.index
    path, handler, method = shape
    function = index.ref(handler, scope)
    evidence = index.evidence(at)
    found.routes.append(
        Route("aiohttp", method, index.path_text(path), function, evidence, router=router)
    )


def _method_of(name: str, call: ast.Call, index_found: WebFound) -> tuple[str, int] | None:
    """(HTTP method, position of the path) of `web.post` / `add_post` / `route` / `view`."""
    base = name.removeprefix("add_")
    if base in HTTP_METHODS:
        return base.upper(), 0
    if base == "view":
        return "*", 0
    if base == "route" and call.args:
        return (index_found.index.str_value(call.args[0]) or "*").upper(), 1
    return None


def decorated(found: WebFound, node: FunctionNode | ast.ClassDef, scope: Scope) -> None:
    """`@routes.post("/path")` on a `web.RouteTableDef()`."""
    index = found.index
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
            continue
        if framework_of(index, decorator.func.value, scope) != "aiohttp":
            continue
        shape = _method_of(decorator.func.attr, decorator, found)
        if shape is not None:
            method, position = shape
            path = argument(decorator, position, "path")
            router = index.object_name(decorator.func.value, scope)
            _route(found, decorator, (path, ast.Name(node.name), method), scope, router)


def call(found: WebFound, node: ast.Call, scope: Scope) -> None:
    index = found.index
    qualified = index.qualify(node.func, scope) or ""
    if qualified in _APPS:
        name = index.targets.get(id(node), "")
        function = index.dotted_object(name, scope) if name else ""
        found.entries.append(EntryPoint("web-app", "aiohttp", index.evidence(node), function))
        middlewares = keyword(node, "middlewares")
        for item in middlewares.elts if isinstance(middlewares, ast.List | ast.Tuple) else ():
            found.hook("middleware", "aiohttp", index.ref(item, scope), item)
    elif qualified in _RUN and node.args:
        app = index.ref(node.args[0], scope)
        found.entries.append(EntryPoint("web-app", "aiohttp", index.evidence(node), app))
    elif qualified.startswith("aiohttp.web.") and qualified.count(".") == 2:
        shape = _method_of(qualified.rsplit(".", 1)[-1], node, found)
        if shape is not None:
            method, position = shape
            handler = function_argument(node, position + 1, "handler")
            if handler is not None:
                _route(found, node, (argument(node, position, "path"), handler, method), scope)
    elif isinstance(node.func, ast.Attribute) and index.imports("aiohttp"):
        _method(found, node, node.func, scope)


def _method(found: WebFound, node: ast.Call, func: ast.Attribute, scope: Scope) -> None:
    """`app.router.add_post(path, h)`, `app.on_startup.append(f)`, `app.middlewares.append(m)`."""
    index = found.index
    owner = func.value
    if not isinstance(owner, ast.Attribute):
        return
    if owner.attr == "router" and func.attr.startswith("add_"):
        if framework_of(index, owner.value, scope) not in (None, "aiohttp"):
            return
        shape = _method_of(func.attr, node, found)
        if shape is not None:
            method, position = shape
            handler = function_argument(node, position + 1, "handler")
            if handler is not None:
                path = argument(node, position, "path")
                router = index.object_name(owner.value, scope)
                _route(found, node, (path, handler, method), scope, router)
    elif func.attr in ("append", "extend", "insert") and node.args:
        added = node.args[-1]
        items = (
            added.elts
            if func.attr == "extend" and isinstance(added, ast.List | ast.Tuple)
            else [added]
        )
        if owner.attr in _SIGNALS:
            for item in items:
                found.hook(
                    _SIGNALS[owner.attr], "aiohttp", index.ref(item, scope), node, owner.attr
                )
        elif owner.attr == "middlewares":
            for item in items:
                found.hook("middleware", "aiohttp", index.ref(item, scope), node)
