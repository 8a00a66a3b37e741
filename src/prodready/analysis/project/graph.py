"""The project's import graph and call graph, and the queries rules ask of them."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from prodready.analysis.project import row_returns
from prodready.analysis.project.model import ClassInfo, FileFacts, FunctionInfo

MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class CallGraph:
    """Project functions by qualified name; edges resolved to project functions only.

    A call the resolver could not type (`*.method`) is linked only when exactly one project
    function has that method name: an ambiguous name links nothing (precision first). A
    method called on a module-level object of a project class (`service.start()`, the
    object imported from its module) links to that class's method.
    """

    functions: Mapping[str, FunctionInfo]
    classes: Mapping[str, ClassInfo]
    edges: Mapping[str, tuple[str, ...]]
    instances: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def build(cls, facts: Iterable[FileFacts]) -> CallGraph:
        functions: dict[str, FunctionInfo] = {}
        classes: dict[str, ClassInfo] = {}
        instances: dict[str, str] = {}
        for fact in facts:
            functions.update((f.name, f) for f in fact.functions)
            classes.update((c.name, c) for c in fact.classes)
            instances.update(fact.instances)
        by_short: dict[str, list[str]] = defaultdict(list)
        for name in functions:
            by_short[name.rsplit(".", 1)[-1]].append(name)
        instances = {name: cls for name, cls in instances.items() if cls in classes}
        functions = row_returns.resolve(
            functions,
            lambda call: next(
                iter(_targets([call], functions, classes, by_short, instances)), None
            ),
        )
        edges = {
            name: tuple(
                dict.fromkeys(_targets(info.calls, functions, classes, by_short, instances))
            )
            for name, info in functions.items()
        }
        return cls(
            MappingProxyType(functions),
            MappingProxyType(classes),
            MappingProxyType(edges),
            MappingProxyType(instances),
        )

    def callees(self, name: str) -> tuple[str, ...]:
        return self.edges.get(name, ())

    def reachable(self, start: str, depth: int = MAX_DEPTH) -> tuple[str, ...]:
        """`start` and every project function it reaches in at most `depth` calls."""
        if start not in self.functions:
            return ()
        seen = {start: 0}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            if seen[current] >= depth:
                continue
            for callee in self.edges.get(current, ()):
                if callee not in seen:
                    seen[callee] = seen[current] + 1
                    queue.append(callee)
        return tuple(seen)


def _method(
    cls_name: str,
    method: str,
    classes: Mapping[str, ClassInfo],
    functions: Mapping[str, FunctionInfo],
) -> str | None:
    """`Class.method` or the first base class (in the project) that defines it."""
    queue = deque([cls_name])
    visited: set[str] = set()
    while queue:
        current = queue.popleft()
        if current in visited:
            continue
        visited.add(current)
        candidate = f"{current}.{method}"
        if candidate in functions:
            return candidate
        info = classes.get(current)
        if info is not None:
            queue.extend(info.bases)
    return None


def targets(
    graph: CallGraph, calls: Iterable[str], by_short: Mapping[str, list[str]]
) -> Iterable[str]:
    """The project functions `calls` (callee names as `calls.extract` writes them) denote,
    as `CallGraph.build` links them; `by_short`: function names by their last part."""
    return _targets(calls, graph.functions, graph.classes, by_short, graph.instances)


def _targets(
    calls: Iterable[str],
    functions: Mapping[str, FunctionInfo],
    classes: Mapping[str, ClassInfo],
    by_short: Mapping[str, list[str]],
    instances: Mapping[str, str],
) -> Iterable[str]:
    for call in calls:
        if call.startswith("*."):
            candidates = by_short.get(call[2:], [])
            if len(candidates) == 1:
                yield candidates[0]
            continue
        if call in functions:
            yield call
            continue
        if call in classes:
            init = _method(call, "__init__", classes, functions)
            if init:
                yield init
            continue
        owner, _, method = call.rpartition(".")
        owner = instances.get(owner, owner)
        if owner in classes:
            found = _method(owner, method, classes, functions)
            if found:
                yield found


def import_graph(facts: Iterable[FileFacts]) -> Mapping[str, tuple[str, ...]]:
    """module -> project modules it imports (by the longest module prefix of each import)."""
    facts = list(facts)
    modules = {f.module for f in facts}
    graph: dict[str, tuple[str, ...]] = {}
    for fact in facts:
        targets: list[str] = []
        for name in fact.imports:
            parts = name.split(".")
            for cut in range(len(parts), 0, -1):
                candidate = ".".join(parts[:cut])
                if candidate in modules and candidate != fact.module:
                    targets.append(candidate)
                    break
        graph[fact.module] = tuple(sorted(set(targets)))
    return MappingProxyType(graph)
