"""Router-level guards of a bot or web app: aiogram 3 `router.message.filter(IsAdmin())`,
`router.callback_query.middleware(...)` (also applied in a loop over a list of routers),
FastAPI `include_router(r, dependencies=[...])`, and the `include_router` links through which
they are inherited (aiogram checks a router's root filters before its own handlers and its
sub-routers). Routers are keyed as the adapters name `Handler.router`; PTB conversation steps
are collected too (reached only through the conversation's entry point).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._aiogram_names import OBSERVERS, is_router
from prodready.analysis.project.adapters._index import Index, Scope, build_index
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.rules.authorization import checks_identity

_WIRING = re.compile(r"\.include_routers?\(|\.(outer_)?middleware\(|\.filter\(")


@dataclass(slots=True)
class RouterGuards:
    """Guards by router key and observer ("*" for every observer), router parents, and the
    (path, function) callbacks of PTB conversation states and fallbacks (reached only after
    the conversation's entry point)."""

    guards: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    internal: set[tuple[str, str]] = field(default_factory=set)

    def add(self, key: str, observer: str, text: str) -> None:
        self.guards.setdefault(key, {}).setdefault(observer, []).append(text)

    def guarded(
        self, keys: Iterable[str], observer: str, test: Callable[[str], bool] = checks_identity
    ) -> bool:
        """True when the router or one of its ancestors has a guard on this observer."""
        queue, seen = list(keys), set()
        while queue:
            key = queue.pop()
            if key in seen:
                continue
            seen.add(key)
            on = self.guards.get(key, {})
            if any(test(t) for t in (*on.get(observer, ()), *on.get("*", ()))):
                return True
            queue.extend(self.parents.get(key, ()))
        return False

    def unlinked(self, linked: set[str]) -> bool:
        """True when some guarded router is not the router (or an ancestor of the router) of
        any handler the caller could link: its guard may protect handlers registered in ways
        the adapters cannot follow (a router passed as a parameter)."""
        reach: set[str] = set()
        queue = list(linked)
        while queue:
            key = queue.pop()
            if key not in reach:
                reach.add(key)
                queue.extend(self.parents.get(key, ()))
        return any(
            k not in reach and any(map(checks_identity, self._texts(k))) for k in self.guards
        )

    def _texts(self, key: str) -> list[str]:
        return [t for texts in self.guards.get(key, {}).values() for t in texts]


def router_key(index: Index, expr: ast.AST, scope: Scope) -> str:
    """The key of a router object: its qualified name, or `path::name` for a local."""
    written = dotted_name(expr) or ""
    name = index.object_name(expr, scope)
    return name if name != written else f"{index.parsed.source.path}::{name}"


def handler_keys(router: str, path: str) -> tuple[str, ...]:
    return (router, f"{path}::{router}")


def router_guards(files: ParsedFiles) -> RouterGuards:
    """The guards of the project's routers, collected once per review (several rules read
    them; none changes them)."""

    def collect() -> RouterGuards:
        guards = RouterGuards()
        collect_guards(files, guards)
        return guards

    return files.memoized("routers.guards", collect)


def collect_guards(files: Iterable[ParsedFile], into: RouterGuards) -> None:
    """Router-level filters, middlewares and `include_router` links of aiogram 3 and FastAPI."""
    for parsed in files:
        imports = parsed.semantic.imports
        if imports.imports_module("telegram"):
            into.internal.update(_conversation_steps(parsed))
        frameworks = any(imports.imports_module(p) for p in ("aiogram", "fastapi", "starlette"))
        if not frameworks and not any(_WIRING.search(line) for line in parsed.source.lines):
            continue  # wiring may sit in a module that only receives the dispatcher
        index = build_index(parsed)
        loops = _loop_aliases(parsed.tree)
        for node, scope in index.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                _guard_call(_Site(index, scope, node, loops), node.func, into)


def _conversation_steps(parsed: ParsedFile) -> set[tuple[str, str]]:
    """Callbacks of the handlers in a `ConversationHandler(states=..., fallbacks=...)`."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(parsed.tree):
        if not (isinstance(node, ast.Call) and "ConversationHandler" in ast.unparse(node.func)):
            continue
        for item in node.keywords:
            if item.arg not in ("states", "fallbacks"):
                continue
            for inner in ast.walk(item.value):
                if isinstance(inner, ast.Call) and inner.func is not None:
                    for arg in (*inner.args, *(k.value for k in inner.keywords)):
                        name = dotted_name(arg)
                        if name:
                            found.add((parsed.source.path, name.rsplit(".", 1)[-1]))
    return found


_Loop = tuple[str, int, int, list[ast.expr]]


def _loop_aliases(tree: ast.Module) -> list[_Loop]:
    """`for r in [a.router, b.router]:` (or over a name assigned such a list): the loop
    variable, the lines of the loop, and the routers it stands for."""
    lists: dict[str, list[tuple[int, list[ast.expr]]]] = defaultdict(list)
    loops: list[tuple[ast.For, ast.Name]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    lists[target.id].append((node.lineno, node.value.elts))
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            loops.append((node, node.target))
    found: list[_Loop] = []
    for loop, target in loops:
        items: list[ast.expr] = []
        if isinstance(loop.iter, ast.List | ast.Tuple):
            items = loop.iter.elts
        elif isinstance(loop.iter, ast.Name):
            earlier = [e for line, e in lists.get(loop.iter.id, []) if line < loop.lineno]
            items = earlier[-1] if earlier else []
        if items:
            found.append((target.id, loop.lineno, loop.end_lineno or loop.lineno, items))
    return found


@dataclass(frozen=True, slots=True)
class _Site:
    index: Index
    scope: Scope
    call: ast.Call
    loops: list[_Loop]

    def _items(self, expr: ast.expr) -> list[ast.expr]:
        if isinstance(expr, ast.Name):
            for name, start, end, items in self.loops:
                if name == expr.id and start <= self.call.lineno <= end:
                    return items
        return [expr]

    def keys(self, expr: ast.expr) -> list[str]:
        """Router keys of `expr`; a loop variable stands for every router of its list."""
        return [router_key(self.index, item, self.scope) for item in self._items(expr)]

    def routers(self, expr: ast.expr) -> list[str]:
        """`keys(expr)` when `expr` is an aiogram router (or a loop over routers), else []."""
        items = self._items(expr)
        if all(is_router(self.index, item, self.scope) for item in items):
            return [router_key(self.index, item, self.scope) for item in items]
        return []


def _guard_call(site: _Site, func: ast.Attribute, into: RouterGuards) -> None:
    node = site.call
    texts = [ast.unparse(a) for a in (*node.args, *(k.value for k in node.keywords))]
    owner = func.value
    if func.attr in ("filter", "middleware", "outer_middleware"):
        if isinstance(owner, ast.Attribute) and owner.attr in OBSERVERS:
            for key in site.routers(owner.value):
                for text in texts:
                    into.add(key, owner.attr, text)
        elif func.attr == "filter":
            for key in site.routers(owner):
                for text in texts:
                    into.add(key, "*", text)
    elif func.attr in ("include_router", "include_routers"):
        parents = site.keys(owner)
        children = node.args if func.attr == "include_routers" else node.args[:1]
        for child in (k for c in children for k in site.keys(c)):
            into.parents[child].update(parents)
        for item in node.keywords:
            if item.arg == "dependencies" and node.args:
                for key in site.keys(node.args[0]):
                    into.add(key, "*", ast.unparse(item.value))
