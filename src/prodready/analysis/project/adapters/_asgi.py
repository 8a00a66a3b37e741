"""FastAPI and Starlette: routes with dependencies, apps, lifespan, hooks, middleware."""

from __future__ import annotations

import ast
from types import MappingProxyType

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._common import (
    FunctionNode,
    argument,
    function_argument,
    keyword,
    str_items,
    text,
)
from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
)
from prodready.analysis.project.adapters._web import LIBRARIES, WebFound, framework_of
from prodready.analysis.project.model import EntryPoint, Route

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
_ROUTE_DECORATORS = HTTP_METHODS | {"api_route", "route", "websocket"}
_APPS = MappingProxyType(
    {
        "fastapi.FastAPI": "fastapi",
        "fastapi.applications.FastAPI": "fastapi",
        "starlette.applications.Starlette": "starlette",
    }
)
_ROUTE_CLASSES = MappingProxyType(
    {
        "starlette.routing.Route": "",
        "starlette.routing.WebSocketRoute": "WEBSOCKET",
        "fastapi.routing.APIRoute": "",
    }
)
_UVICORN = frozenset({"uvicorn.run", "uvicorn.Config", "uvicorn.config.Config"})
_EVENTS = frozenset({"startup", "shutdown"})


def _depends(index: Index, expr: ast.AST | None, scope: Scope, annotation: ast.AST | None) -> str:
    """The dependency `Depends(x)` / `Security(x)` names, else ""; `Depends()` names the
    parameter's annotated class."""
    if not isinstance(expr, ast.Call):
        return ""
    name = (index.qualify(expr.func, scope) or "").rsplit(".", 1)
    if name[-1] not in ("Depends", "Security") or not name[0].startswith("fastapi"):
        return ""
    target: ast.AST | None = argument(expr, 0, "dependency")
    if target is None:
        target = _annotated_type(annotation)
    return index.ref(target, scope) if target is not None else ""


def _annotated_type(annotation: ast.AST | None) -> ast.AST | None:
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
        return annotation.slice.elts[0]
    return annotation


def _alias(index: Index, annotation: ast.AST | None) -> ast.AST | None:
    """A module-level alias such as `Session = Annotated[AsyncSession, Depends(get_db)]`."""
    if isinstance(annotation, ast.Name):
        value = index.parsed.semantic.module_value(annotation.id)
        if isinstance(value, ast.Subscript):
            return value
    return annotation


def _annotated_metadata(annotation: ast.AST | None) -> list[ast.expr]:
    """The metadata of `Annotated[T, Depends(x)]`."""
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
        return []
    if (dotted_name(annotation.value) or "").rsplit(".", 1)[-1] != "Annotated":
        return []
    return list(annotation.slice.elts[1:])


def dependencies(index: Index, function: FunctionNode | None, scope: Scope) -> list[str]:
    """`Depends(x)` / `Security(x)` of the parameters: defaults and `Annotated` metadata."""
    if function is None:
        return []
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    pairs = list(zip(positional, [*defaults, *args.defaults], strict=True))
    pairs += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    found: list[str] = []
    for arg, default in pairs:
        annotation = _alias(index, arg.annotation)
        for expr in (default, *_annotated_metadata(annotation)):
            name = _depends(index, expr, scope, annotation)
            if name:
                found.append(name)
    return found


def _list_dependencies(index: Index, call: ast.Call | None, scope: Scope) -> list[str]:
    value = keyword(call, "dependencies") if call is not None else None
    if not isinstance(value, ast.List | ast.Tuple):
        return []
    return [name for e in value.elts if (name := _depends(index, e, scope, None))]


def _methods(call: ast.Call, default: str) -> tuple[str, ...]:
    written = str_items(keyword(call, "methods"))
    return tuple(m.upper() for m in written) or (default,)


def decorated(found: WebFound, node: FunctionNode | ast.ClassDef, scope: Scope) -> None:
    """`@app.post(path)`, `@router.api_route(path, methods=…)`, `@app.websocket(path)`,
    `@app.on_event("startup")`, `@app.middleware("http")`, `@app.exception_handler(E)`."""
    index = found.index
    function = f"{scope.name}.{node.name}"
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
            continue
        name, receiver = decorator.func.attr, decorator.func.value
        framework = framework_of(index, receiver, scope) or _route_shaped(index, decorator, scope)
        if framework not in ("fastapi", "starlette"):
            continue
        if name in _ROUTE_DECORATORS:
            if name in HTTP_METHODS:
                methods: tuple[str, ...] = (name.upper(),)
            elif name == "websocket":
                methods = ("WEBSOCKET",)
            else:
                methods = _methods(decorator, "GET")
            owner = index.values.get(dotted_name(receiver) or "")
            deps = [
                *_list_dependencies(index, owner, scope),
                *_list_dependencies(index, decorator, scope),
                *(dependencies(index, node, scope) if not isinstance(node, ast.ClassDef) else []),
            ]
            path = _prefix(index, owner) + index.path_text(argument(decorator, 0, "path"))
            for method in methods:
                found.routes.append(
                    Route(
                        framework,
                        method,
                        path,
                        function,
                        index.evidence(decorator),
                        dependencies=tuple(dict.fromkeys(deps)),
                        router=index.object_name(receiver, scope),
                    )
                )
        elif (
            name == "on_event" and index.str_value(argument(decorator, 0, "event_type")) in _EVENTS
        ):
            kind = index.str_value(argument(decorator, 0, "event_type")) or ""
            found.hook(kind, framework, function, decorator)
        elif name == "middleware":
            found.hook("middleware", framework, function, decorator)
        elif name == "exception_handler":
            target = argument(decorator, 0, "exc_class_or_status_code")
            found.hook("exception-handler", framework, function, decorator, _on(target))


def _route_shaped(index: Index, decorator: ast.Call, scope: Scope) -> str | None:
    """`@x.post("/path")` on any object not from a library, in a FastAPI / Starlette file
    (an app imported from the project under any name)."""
    func = decorator.func
    if not isinstance(func, ast.Attribute) or func.attr not in _ROUTE_DECORATORS:
        return None
    if (index.qualify(func.value, scope) or "").startswith(LIBRARIES):
        return None
    path = index.str_value(argument(decorator, 0, "path"))
    if path is None or not path.startswith("/"):
        return None
    return next((p for p in ("fastapi", "starlette") if index.imports(p)), None)


def _on(expr: ast.AST | None) -> str:
    return text(expr) if expr is not None else ""


def _prefix(index: Index, owner: ast.Call | None) -> str:
    prefix = keyword(owner, "prefix") if owner is not None else None
    return index.path_text(prefix) if prefix is not None else ""


def call(found: WebFound, node: ast.Call, scope: Scope) -> None:
    index = found.index
    qualified = index.qualify(node.func, scope) or ""
    if qualified in _APPS:
        _app(found, node, _APPS[qualified], scope)
    elif qualified in _ROUTE_CLASSES:
        endpoint = function_argument(node, 1, "endpoint")
        if endpoint is not None:
            method = _ROUTE_CLASSES[qualified]
            methods = (method,) if method else _methods(node, "GET")
            path = index.path_text(argument(node, 0, "path"))
            framework = "fastapi" if qualified.startswith("fastapi") else "starlette"
            function = index.ref(endpoint, scope)
            for each in methods:
                found.routes.append(Route(framework, each, path, function, index.evidence(node)))
    elif qualified in _UVICORN:
        app = argument(node, 0, "app")
        if app is not None:
            served = index.str_value(app) or index.ref(app, scope)
            found.entries.append(EntryPoint("web-app", "uvicorn", index.evidence(node), served))
    elif isinstance(node.func, ast.Attribute):
        owner = framework_of(index, node.func.value, scope)
        if owner in ("fastapi", "starlette"):
            _method(found, node, node.func.attr, owner, scope)


def _app(found: WebFound, node: ast.Call, framework: str, scope: Scope) -> None:
    """`FastAPI(lifespan=…, on_startup=[…], middleware=[…], exception_handlers={…})`."""
    index = found.index
    target = index.targets.get(id(node), "")
    function = index.dotted_object(target, scope) if target else ""
    found.entries.append(EntryPoint("web-app", framework, index.evidence(node), function))
    lifespan = keyword(node, "lifespan")
    if lifespan is not None and not isinstance(lifespan, ast.Constant):
        found.hook("lifespan", framework, index.ref(lifespan, scope), lifespan)
    for kind in ("startup", "shutdown"):
        value = keyword(node, f"on_{kind}")
        for item in value.elts if isinstance(value, ast.List | ast.Tuple) else ():
            found.hook(kind, framework, index.ref(item, scope), item)
    middleware = keyword(node, "middleware")
    for item in middleware.elts if isinstance(middleware, ast.List | ast.Tuple) else ():
        found.hook("middleware", framework, index.ref(item, scope), item)
    handlers = keyword(node, "exception_handlers")
    if isinstance(handlers, ast.Dict):
        for key, value in zip(handlers.keys, handlers.values, strict=True):
            function = index.ref(value, scope)
            found.hook("exception-handler", framework, function, value, _on(key))


def _method(found: WebFound, node: ast.Call, name: str, framework: str, scope: Scope) -> None:
    index = found.index
    if name in ("add_api_route", "add_route", "add_websocket_route"):
        endpoint = function_argument(node, 1, "endpoint" if name != "add_route" else "route")
        if endpoint is None:
            return
        methods = ("WEBSOCKET",) if name == "add_websocket_route" else _methods(node, "GET")
        func = node.func
        owner = (
            index.values.get(dotted_name(func.value) or "")
            if isinstance(func, ast.Attribute)
            else None
        )
        path = _prefix(index, owner) + index.path_text(argument(node, 0, "path"))
        function = index.ref(endpoint, scope)
        router = index.object_name(func.value, scope) if isinstance(func, ast.Attribute) else ""
        for method in methods:
            route = Route(framework, method, path, function, index.evidence(node), router=router)
            found.routes.append(route)
    elif name == "add_middleware" and node.args:
        middleware = index.ref(node.args[0], scope, instance=True)
        found.hook("middleware", framework, middleware, node)
    elif name == "add_exception_handler" and len(node.args) >= 2:
        function = index.ref(node.args[1], scope)
        found.hook("exception-handler", framework, function, node, _on(node.args[0]))
    elif name == "add_event_handler" and len(node.args) >= 2:
        kind = index.str_value(node.args[0])
        if kind in _EVENTS:
            found.hook(kind, framework, index.ref(node.args[1], scope), node)
