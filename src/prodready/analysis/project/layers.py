"""The layer of each module: transport, application, domain or infrastructure.

In order: `[tool.prodready.layers]` (module prefixes, longest first); what the module does
(registers bot handlers or HTTP routes -> transport; defines ORM tables -> infrastructure);
then the outermost package segment that names a layer (`app.tgbot.services.x` is transport,
`app.infrastructure.db` infrastructure). Ambiguous names decide nothing on their own:
`models` (ORM or domain), `api` (routes or an API client: a module there that calls an HTTP
client and serves no routes is infrastructure), `views`, `core`. Composition roots (`main`,
`__main__`, `*factory*`, `bootstrap`, DI containers) belong to no layer: they wire all.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from prodready.analysis.project.model import FileFacts

# Below this many modules (Alembic migrations not counted) a project gets no architecture
# findings: a bot of a dozen modules is easier to read flat than layered.
MIN_MODULES = 15
LAYERS = ("transport", "application", "domain", "infrastructure")
_MARKERS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            *("handlers", "routers", "routes", "endpoints", "controllers", "webhooks"),
            *("tgbot", "telegram_bot", "dialogs", "keyboards", "presentation", "web"),
        ),
        "transport",
    ),
    **dict.fromkeys(
        ("services", "service", "usecases", "use_cases", "application", "interactors"),
        "application",
    ),
    **dict.fromkeys(("domain", "entities", "entity"), "domain"),
    **dict.fromkeys(
        (
            *("db", "database", "repositories", "repository", "repo", "repos", "dal", "dao"),
            *("infrastructure", "infra", "adapters", "clients", "gateways", "persistence"),
        ),
        "infrastructure",
    ),
}
_ROOT_WORDS = ("main", "factory", "bootstrap", "loader", "container", "composition", "wiring")
_ROOT_PACKAGES = frozenset({"di", "ioc", "providers", "containers", "entrypoints"})
_HTTP_CLIENTS = ("httpx", "aiohttp.ClientSession", "aiohttp.client", "requests")


def is_composition_root(module: str) -> bool:
    parts = module.split(".")
    return any(word in parts[-1] for word in _ROOT_WORDS) or bool(_ROOT_PACKAGES & set(parts))


def _by_facts(fact: FileFacts) -> str | None:
    if fact.handlers or fact.routes:
        return "transport"
    if fact.tables or fact.model_bases:
        return "infrastructure"
    return None


def _by_name(fact: FileFacts) -> str | None:
    parts = fact.module.split(".")
    for part in parts:
        if part in _MARKERS:
            return _MARKERS[part]
        if part == "api" and any(i.startswith(_HTTP_CLIENTS) for i in fact.imports):
            return "infrastructure"
        if part == "api":
            return "transport"
    return None


def _configured(module: str, layers: Iterable[tuple[str, str]]) -> str | None:
    matching = [(len(p), layer) for p, layer in layers if module == p or module.startswith(p + ".")]
    return max(matching)[1] if matching else None


def module_layers(
    facts: Iterable[FileFacts], configured: Iterable[tuple[str, str]] = ()
) -> dict[str, str]:
    """module -> layer, for the modules whose layer can be told (composition roots never)."""
    pairs = tuple(configured)
    found: dict[str, str] = {}
    for fact in facts:
        layer = _configured(fact.module, pairs)
        if layer is None and is_composition_root(fact.module):
            continue
        layer = layer or _by_facts(fact) or _by_name(fact)
        if layer is not None:
            found[fact.module] = layer
    return found


# layer -> the layers it must not import (dependencies point inwards, towards the domain)
FORBIDDEN: Mapping[str, tuple[str, ...]] = {
    "domain": ("transport", "application", "infrastructure"),
    "application": ("transport",),
    "infrastructure": ("transport",),
}


def layer_edges(
    facts: Iterable[FileFacts], configured: Iterable[tuple[str, str]] = ()
) -> dict[tuple[str, str], int]:
    """(importing layer, imported layer) -> how many module-level imports go that way, between
    modules whose layers are known (the picture of the architecture the reports draw)."""
    facts = list(facts)
    layers = module_layers(facts, configured)
    counts: dict[tuple[str, str], int] = {}
    for importer, imported in import_edges(facts).items():
        source = layers.get(importer)
        for target in imported:
            destination = layers.get(target)
            if source and destination and source != destination:
                counts[(source, destination)] = counts.get((source, destination), 0) + 1
    return counts


def owning_module(target: str, modules: Container[str]) -> str | None:
    """The project module an import target names (`app.db.engine` -> `app.db`), if any."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        found = ".".join(parts[:cut])
        if found in modules:
            return found
    return None


def big_enough(facts: Iterable[FileFacts]) -> bool:
    """True when the project has MIN_MODULES modules or more (migrations not counted)."""
    return sum(1 for fact in facts if not fact.migrations) >= MIN_MODULES


def import_edges(
    facts: Iterable[FileFacts], deferred: bool = False
) -> dict[str, dict[str, tuple[str, int]]]:
    """module -> {imported project module: (path, line)} (the first import of it); with
    `deferred`, imports inside functions count too."""
    facts = list(facts)
    modules = {fact.module for fact in facts}
    edges: dict[str, dict[str, tuple[str, int]]] = {}
    for fact in facts:
        found = edges.setdefault(fact.module, {})
        for imported in fact.module_imports:
            if imported.deferred and not deferred:
                continue
            target = owning_module(imported.target, modules)
            if target is not None and target != fact.module:
                found.setdefault(target, (fact.path, imported.line))
    return edges


def import_cycles(edges: Mapping[str, Mapping[str, tuple[str, int]]]) -> list[list[str]]:
    """One shortest cycle (modules in import order, first repeated at the end) per group of
    modules that import each other, groups in order of their first module. A group made of
    a package and its own submodules only is left out: `from pkg import sub` in a submodule
    while `pkg/__init__.py` re-exports it resolves through sys.modules (Python 3.7+)."""
    cycles: list[list[str]] = []
    for group in _components(edges):
        start = min(group)
        if all(m == start or m.startswith(start + ".") for m in group):
            continue  # a package and its own submodules: `__init__` re-exports, import-safe
        path = _shortest_path(edges, start, group)
        if path:
            cycles.append(path)
    return sorted(cycles)


def _components(edges: Mapping[str, Mapping[str, tuple[str, int]]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, {}))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(group)
    return found


def _shortest_path(
    edges: Mapping[str, Mapping[str, tuple[str, int]]], start: str, group: set[str]
) -> list[str]:
    """The shortest import path from `start` back to itself inside `group`."""
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for target in sorted(edges.get(current, {})):
            if target == start:
                path = [current]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if target in group and target not in previous and target != start:
                previous[target] = current
                queue.append(target)
    return []
