"""In-process caches: module-level dicts and sets that grow per user and are never evicted,
functions that cache what they fetch, and request parameters that do not vary."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.semantic import FunctionNode

# Names of state a class or module keeps to serve a cached answer.
CACHE_STATE = re.compile(r"cache|fetched_at|expires?_at|expiry|_ttl|ttl_|last_fetch", re.I)
_CONTAINERS = {
    "dict": "dict",
    "set": "set",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
}
_CACHE_NAME = re.compile(r"cache|memo|seen|processed|dedup", re.I)
_PER_ITEM = re.compile(
    r"(^|_)(id|ids|user|users|chat|tg|telegram|url|token|query|hash|ip|email|phone|uuid)($|_)|_id$|Id$",
    re.I,
)
_EVICTING = frozenset({"pop", "popitem", "clear", "discard", "remove", "difference_update"})


def _caches(tree: ast.Module, qualified: Callable[[ast.AST], str | None]) -> dict[str, str]:
    found: dict[str, str] = {}
    for statement in tree.body:
        target = (
            statement.targets[0]
            if isinstance(statement, ast.Assign)
            else getattr(statement, "target", None)
        )
        value = getattr(statement, "value", None)
        if isinstance(target, ast.Name) and value is not None and _CACHE_NAME.search(target.id):
            kind = _container(value, qualified)
            if kind is not None:
                found[target.id] = kind
    return found


def _key(node: ast.AST) -> ast.AST | None:
    """The key an entry is stored under: `name[key] = v`, `name.add(key)`, `setdefault(key)`."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
        return node.slice
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        return node.args[0] if node.func.attr in {"add", "setdefault"} else None
    return None


def _owner(node: ast.AST) -> str | None:
    target = node.value if isinstance(node, ast.Subscript) else getattr(node, "func", None)
    target = target.value if isinstance(target, ast.Attribute) else target
    return target.id if isinstance(target, ast.Name) else None


def _per_item(key: ast.AST) -> bool:
    return any(
        _PER_ITEM.search(dotted_name(n) or "")
        for n in ast.walk(key)
        if isinstance(n, ast.Name | ast.Attribute)
    )


def _evicts(inner: ast.AST, caches: dict[str, str]) -> set[str]:
    """Caches `inner` removes entries from, resets or measures (`len(cache) > N`)."""
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
        owner = _owner(inner)
        return {owner} if inner.func.attr in _EVICTING and owner in caches else set()
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "len":
        return {a.id for a in inner.args if isinstance(a, ast.Name)}
    if isinstance(inner, ast.Global):
        return set(inner.names)  # rebound inside a function: reset
    if isinstance(inner, ast.Delete):
        return {n for n in (_owner(t) for t in inner.targets) if n}
    return set()


def _container(value: ast.expr, qualified: Callable[[ast.AST], str | None]) -> str | None:
    if isinstance(value, ast.Dict | ast.DictComp):
        return "dict"
    if isinstance(value, ast.Set | ast.SetComp):
        return "set"
    return _CONTAINERS.get(qualified(value.func) or "") if isinstance(value, ast.Call) else None


@dataclass(frozen=True, slots=True)
class GrowingCache:
    """A module-level cache written per item (`key`) in synchronous code and never evicted."""

    name: str
    kind: str
    write: ast.AST
    key: ast.AST


def growing_caches(
    tree: ast.Module, qualified: Callable[[ast.AST], str | None]
) -> Iterator[GrowingCache]:
    """Module-level dicts / sets named as caches (`_cache`, `_seen`, `processed_ids`) that get
    an entry per user, chat, URL or id and that nothing removes, resets or measures, whether
    sync or async code writes them (ASY003 leaves containers named as caches to this check)."""
    caches = _caches(tree, qualified)
    if not caches:
        return
    writes: dict[str, tuple[ast.AST, ast.AST]] = {}
    evicted: set[str] = set()
    for inner in ast.walk(tree):
        evicted |= _evicts(inner, caches)
        key = _key(inner)
        name = _owner(inner) if key is not None else None
        if name not in caches or key is None or name is None:
            continue
        if _per_item(key):
            writes.setdefault(name, (inner, key))
    for name, (write, key) in writes.items():
        if name not in evicted:
            yield GrowingCache(name, caches[name], write, key)


def memoized(function: FunctionNode, holder_names: frozenset[str]) -> bool:
    """A cache decorator, a `global` the function keeps results in, or cache-like state in
    its class or module (`self._fetched_at`, `_rates_cache`, `CACHE_TTL`) that callers check."""
    decorators = " ".join(ast.unparse(d) for d in function.decorator_list).lower()
    if "cache" in decorators or any(isinstance(n, ast.Global) for n in ast.walk(function)):
        return True
    return any(CACHE_STATE.search(name) for name in holder_names)


def names_in(holder: ast.AST) -> frozenset[str]:
    """Every name and attribute a class or module mentions."""
    names = {n.attr for n in ast.walk(holder) if isinstance(n, ast.Attribute)}
    return frozenset(names | {n.id for n in ast.walk(holder) if isinstance(n, ast.Name)})


def fixed_expression(expr: ast.AST | None, function: FunctionNode) -> bool:
    """True when `expr` names no parameter or local of the function (only literals, module
    constants, settings and `self` attributes): the same value on every call."""
    if expr is None:
        return True
    args = function.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {"self", "cls"}
    stored = {
        n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    used = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    return not (used & (params | stored))
