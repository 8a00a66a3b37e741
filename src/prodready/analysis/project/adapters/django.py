"""Django and Django REST framework: URLconf routes and the Django site as a web app.

Only files that import django or rest_framework, or assign `ROOT_URLCONF`, are read.

- Routes (framework "django"): `path(route, view)`, `re_path(regex, view)` and the old
  `url(regex, view)` calls anywhere in a file (usually `urlpatterns = [...]`), and DRF
  `router.register(prefix, ViewSet)` on a `DefaultRouter()` / `SimpleRouter()`. A view that
  is `include(...)` is no route; its prefix is not joined to the included routes (each
  route's path is its own URLconf's, "/"-prefixed; a regex loses its `^` / `$`). The view is
  the function (`views.health`), the class of `View.as_view()` or the ViewSet; the Django
  admin (`admin.site.urls`) is "django.contrib.admin.site.urls"; decorators called on the
  view (`login_required(views.panel)`, `csrf_exempt(...)`) are its `dependencies`; another
  `x.urls` (a django-ninja API, a DRF router) is no route. The method is the one of a
  view defined in the same file with `@require_GET` / `@require_POST` /
  `@require_http_methods([one])` / `@api_view([one])`, else "ANY" (a Django view answers
  every method unless it says otherwise).
- EntryPoints "web-app" (framework "django"): a settings module (module-level
  `ROOT_URLCONF = ...`; function: the URLconf; details ("login_required",) when its
  `MIDDLEWARE` holds a `LoginRequiredMiddleware`, Django 5.1's or a project's own; and
  "uses:<module>" for each dotted name in a string of INSTALLED_APPS, MIDDLEWARE or
  LOGGING: Django imports those itself, so `first_import` counts them), and
  `get_wsgi_application()` / `get_asgi_application()` (function: the variable it is
  assigned to).
"""

from __future__ import annotations

import ast
import re
from types import MappingProxyType

from prodready.analysis.project.adapters._common import FUNCTIONS, argument
from prodready.analysis.project.adapters._index import Index, Scope, build_index
from prodready.analysis.project.adapters._web import WebFound
from prodready.analysis.project.model import EntryPoint, FileFacts, Route
from prodready.analysis.source import ParsedFile

_PACKAGES = ("django", "rest_framework")
_PATHS = frozenset(
    {"django.urls.path", "django.urls.re_path", "django.conf.urls.url", "django.conf.urls.re_path"}
)
_INCLUDE = frozenset({"django.urls.include", "django.conf.urls.include"})
_APPS = frozenset(
    {
        "django.core.wsgi.get_wsgi_application",
        "django.core.asgi.get_asgi_application",
    }
)
_ROUTERS = frozenset(
    {
        "rest_framework.routers.DefaultRouter",
        "rest_framework.routers.SimpleRouter",
    }
)
_ADMIN = "django.contrib.admin.site.urls"
_ONE_METHOD = MappingProxyType(
    {
        "django.views.decorators.http.require_GET": "GET",
        "django.views.decorators.http.require_safe": "GET",
        "django.views.decorators.http.require_POST": "POST",
    }
)
_METHOD_LISTS = frozenset(
    {
        "django.views.decorators.http.require_http_methods",
        "rest_framework.decorators.api_view",
    }
)


def extract(parsed: ParsedFile) -> FileFacts:
    """Django routes and web-app entry points in one file."""
    source = parsed.source
    imports = parsed.semantic.imports
    settings = parsed.semantic.module_value("ROOT_URLCONF")
    if settings is None and not any(imports.imports_module(p) for p in _PACKAGES):
        return FileFacts(path=source.path, module=source.module)
    index = build_index(parsed)
    found = WebFound(index)
    if settings is not None:
        urls = index.str_value(settings) or "{ROOT_URLCONF}"
        middleware = index.str_items(parsed.semantic.module_value("MIDDLEWARE"))
        login = any("LoginRequired" in m.rsplit(".", 1)[-1] for m in middleware)
        details: tuple[str, ...] = ("login_required",) if login else ()
        details += _configured(parsed)
        entry = EntryPoint("web-app", "django", index.evidence(settings), urls, details)
        found.entries.append(entry)
    for node, scope in index.nodes:
        if isinstance(node, ast.Call) and id(node) not in index.decorators:
            _call(found, node, scope)
    return found.facts()


def _configured(parsed: ParsedFile) -> tuple[str, ...]:
    """ "uses:<dotted.name>" for each module a settings module names in a string of
    INSTALLED_APPS, MIDDLEWARE or LOGGING (Django imports them itself)."""
    found: dict[str, None] = {}
    for setting in ("INSTALLED_APPS", "MIDDLEWARE", "LOGGING"):
        value = parsed.semantic.module_value(setting)
        names = _APP if setting == "INSTALLED_APPS" else _DOTTED  # an app may be one word
        strings = (
            n.value
            for n in (ast.walk(value) if value is not None else ())
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        )
        for string in strings:
            if names.fullmatch(string) and len(found) < _MAX_USES:
                found[f"uses:{string}"] = None
    return tuple(found)


_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
_APP = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_MAX_USES = 80


def _call(found: WebFound, call: ast.Call, scope: Scope) -> None:
    index = found.index
    callee = index.qualify(call.func, scope) or ""
    if callee in _PATHS:
        _path(found, call, scope, callee.rsplit(".", 1)[-1] != "path")
    elif callee in _APPS:
        target = index.targets.get(id(call), "application")
        found.entries.append(EntryPoint("web-app", "django", index.evidence(call), target))
    elif isinstance(call.func, ast.Attribute) and call.func.attr == "register":
        _register(found, call, call.func.value, scope)


def _register(found: WebFound, call: ast.Call, router: ast.expr, scope: Scope) -> None:
    """`router.register(prefix, ViewSet)` on a DRF router built in this file."""
    index = found.index
    prefix, viewset = argument(call, 0, "prefix"), argument(call, 1, "viewset")
    if viewset is None or not index.type_of(router) & _ROUTERS:
        return
    path = "/" + index.path_text(prefix).strip("^$/")
    function = index.ref(viewset, scope)
    name = index.object_name(router, scope)
    found.routes.append(Route("django", "ANY", path, function, index.evidence(call), router=name))


def _path(found: WebFound, call: ast.Call, scope: Scope, regex: bool) -> None:
    index = found.index
    route, view = argument(call, 0, "route"), argument(call, 1, "view")
    if route is None or view is None:
        return
    if isinstance(view, ast.Call) and index.qualify(view.func, scope) in _INCLUDE:
        return
    if isinstance(view, ast.List | ast.Tuple):  # path("x/", ([...], "app", "ns"))
        return
    written = index.path_text(route)
    if regex:
        written = written.removeprefix("^").removesuffix("$")
    path = "/" + written.lstrip("/")
    wrappers: list[str] = []
    inner = _wrapped(view)
    while inner is not None:  # csrf_exempt(View.as_view()), login_required(views.panel)
        wrappers.append(index.ref(inner[0], scope))
        view = inner[1]
        inner = _wrapped(view)
    if (
        isinstance(view, ast.Attribute)
        and view.attr == "urls"
        and not _is_admin(index, view, scope)
    ):
        return  # `api.urls` of a django-ninja API or a DRF router: URL patterns, not a view
    function, method = _view(index, view, scope)
    evidence = index.evidence(call)
    found.routes.append(
        Route("django", method, path, function, evidence, dependencies=tuple(wrappers))
    )


def _wrapped(view: ast.AST) -> tuple[ast.expr, ast.expr] | None:
    """(decorator, view) for a view given through a decorator called on it: `csrf_exempt(v)`,
    not `View.as_view()` nor `include(...)`."""
    if (
        isinstance(view, ast.Call)
        and len(view.args) == 1
        and not view.keywords
        and not (isinstance(view.func, ast.Attribute) and view.func.attr == "as_view")
        and isinstance(view.args[0], ast.Name | ast.Attribute | ast.Call)
    ):
        return view.func, view.args[0]
    return None


def _is_admin(index: Index, view: ast.AST, scope: Scope) -> bool:
    return index.qualify(view, scope) == _ADMIN


def _view(index: Index, view: ast.AST, scope: Scope) -> tuple[str, str]:
    """The view a URL pattern names and its one method ("ANY" when not known)."""
    if isinstance(view, ast.Attribute) and _is_admin(index, view, scope):
        return _ADMIN, "ANY"
    if (
        isinstance(view, ast.Call)
        and isinstance(view.func, ast.Attribute)
        and view.func.attr == "as_view"
    ):
        return index.ref(view.func.value, scope), "ANY"
    function = index.ref(view, scope)
    node = index.defs.get(function)
    return function, _method(index, node, scope) if node is not None else "ANY"


def _method(index: Index, node: ast.AST, scope: Scope) -> str:
    if not isinstance(node, FUNCTIONS):
        return "ANY"
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = index.qualify(call.func if call else decorator, scope) or ""
        if name in _ONE_METHOD:
            return _ONE_METHOD[name]
        if call is not None and name in _METHOD_LISTS:
            given = argument(call, 0, "http_method_names")
            methods = index.str_items(given) if given is not None else ("GET",)  # api_view()
            if len(methods) == 1:
                return methods[0].upper()
    return "ANY"
