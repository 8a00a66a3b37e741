"""The async session factories of a project and what functions do with their sessions.

- `session_factories(tree, bindings)`: the async session factories a module configures
  (`async_sessionmaker(...)`, `sessionmaker(class_=AsyncSession)`, `AsyncSession(engine)`) and
  whether they expire objects on commit (`expire_on_commit`, True by default).
- `expiring_factories(files)`: the named factories that expire, and whether all do.
- `opened_sessions(function, parsed)`: `async with factory() as session:` in a function.
- `session_calls(function, method)`, `refreshed(function)`: awaited `session.commit()` calls,
  objects refreshed or expunged.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body, iter_subtree

_ASYNC_SESSION = frozenset({"AsyncSession", "async_sessionmaker"})


@dataclass(frozen=True, slots=True)
class SessionFactory:
    """An async session factory: the call, and `expires` — True with the default
    `expire_on_commit=True` (or written True), False when set False, None when not readable;
    name: the module-level name it is assigned to ("" when not one)."""

    call: ast.Call
    expires: bool | None
    name: str = ""


def _qualified(expr: ast.expr, bindings: Mapping[str, str]) -> str:
    name = dotted_name(expr) or ""
    head, _, rest = name.partition(".")
    bound = bindings.get(head)
    return (f"{bound}.{rest}" if rest else bound) if bound else name


def _is_async_factory(call: ast.Call, bindings: Mapping[str, str]) -> bool:
    name = _qualified(call.func, bindings)
    last = name.rsplit(".", 1)[-1]
    if last in _ASYNC_SESSION:
        return "asyncio" in name or "sqlmodel" in name or "." not in name
    if last == "sessionmaker":
        return any(
            k.arg == "class_" and (dotted_name(k.value) or "").endswith("AsyncSession")
            for k in call.keywords
        )
    return False


def session_factories(tree: ast.Module, bindings: Mapping[str, str]) -> list[SessionFactory]:
    """Async session factories and sessions the module builds (see the module doc); a factory
    re-configured with `expire_on_commit=False` anywhere in the module counts as not expiring."""
    found: list[SessionFactory] = []
    configured_off = False
    names = {
        id(statement.value): target.id
        for statement in tree.body
        if isinstance(statement, ast.Assign | ast.AnnAssign)
        for target in (
            statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        )
        if isinstance(target, ast.Name)
    }
    for node in iter_subtree(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "expire_on_commit" for t in node.targets
        ):
            configured_off = True
        if not isinstance(node, ast.Call):
            continue
        keyword = next((k for k in node.keywords if k.arg == "expire_on_commit"), None)
        expires: bool | None = True
        if keyword is not None:
            value = keyword.value
            expires = bool(value.value) if isinstance(value, ast.Constant) else None
        elif any(k.arg is None for k in node.keywords):
            expires = None  # **options
        if _is_async_factory(node, bindings):
            found.append(SessionFactory(node, expires, names.get(id(node), "")))
        elif keyword is not None and expires is not True:
            configured_off = True  # factory.configure(expire_on_commit=False)
    if configured_off:
        return [SessionFactory(f.call, None if f.expires else f.expires, f.name) for f in found]
    return found


_HINTS = ("sessionmaker", "AsyncSession(", "expire_on_commit")


def _factories(files: Iterable[ParsedFile]) -> list[tuple[ParsedFile, SessionFactory]]:
    found: list[tuple[ParsedFile, SessionFactory]] = []
    for parsed in files:
        text = "\n".join(parsed.source.lines)
        if any(hint in text for hint in _HINTS):
            bindings = parsed.semantic.imports.bindings
            found += [(parsed, f) for f in session_factories(parsed.tree, bindings)]
    return found


def _factory_name(call: ast.expr, parsed: ParsedFile) -> str:
    """The qualified name of the factory a `with` item calls (`async_session()`,
    `db.async_session()`, `async_session.begin()` is not a session)."""
    if not isinstance(call, ast.Call) or call.args or call.keywords:
        return ""
    name = dotted_name(call.func) or ""
    head, _, rest = name.partition(".")
    bound = parsed.semantic.imports.bindings.get(head)
    if bound is not None:
        return f"{bound}.{rest}" if rest else bound
    return f"{parsed.source.module}.{name}" if not rest else ""


def opened_sessions(function: FunctionNode, parsed: ParsedFile) -> dict[str, str]:
    """session name -> factory's qualified name, for `async with factory() as session:`."""
    return {
        item.optional_vars.id: _factory_name(item.context_expr, parsed)
        for node in iter_body(function)
        if isinstance(node, ast.AsyncWith)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name)
    }


def expiring_factories(files: Iterable[ParsedFile]) -> tuple[dict[str, str], str]:
    """(qualified name -> location of each named factory that expires on commit, location of
    the project's factory when every one of them expires, else "")."""
    factories = _factories(files)
    named = {
        f"{parsed.source.module}.{factory.name}": f"{parsed.source.path}:{factory.call.lineno}"
        for parsed, factory in factories
        if factory.name and factory.expires is True
    }
    every = bool(factories) and all(factory.expires is True for _, factory in factories)
    first = f"{factories[0][0].source.path}:{factories[0][1].call.lineno}" if every else ""
    return named, first


def session_calls(function: FunctionNode, method: str) -> list[tuple[str, ast.Call]]:
    """(receiver text, call) of awaited `<receiver>.<method>(...)` calls."""
    return [
        (dotted_name(node.value.func.value) or "", node.value)
        for node in iter_body(function)
        if isinstance(node, ast.Await)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == method
    ]


def refreshed(function: FunctionNode) -> list[tuple[str, int]]:
    """(name, line) of objects refreshed or expunged (`await session.refresh(user)`)."""
    found: list[tuple[str, int]] = []
    for node in iter_body(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        first = node.args[0] if node.args else None
        if node.func.attr in {"refresh", "expunge", "merge"} and isinstance(first, ast.Name):
            found.append((first.id, node.lineno))
    return found
