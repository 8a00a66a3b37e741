"""A few lines that summarise the project model (what prodready understood) for reports.

The model arrives as plain JSON-ready data (`ReviewResult.project`), so renderers stay
independent of the analysis layer; anything missing or odd is left out, never an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

_MAX_LISTED = 6


def _items(data: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    value = data.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _counted(values: list[str]) -> str:
    counts = Counter(values)
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


def summary_lines(data: Mapping[str, object]) -> list[tuple[str, str]]:
    """(label, text) pairs: entry points, handlers, routes, jobs, tables, layers."""
    rows: list[tuple[str, str]] = []
    entries = _items(data, "entry_points")
    if entries:
        shown = [f"{e.get('kind')} ({e.get('framework')}, {e.get('evidence')})" for e in entries]
        rows.append(("Entry points", "; ".join(shown[:_MAX_LISTED])))
    handlers = _items(data, "handlers")
    if handlers:
        rows.append(("Bot handlers", _counted([str(h.get("update")) for h in handlers])))
    routes = _items(data, "routes")
    if routes:
        special = _counted([str(r.get("receives")) for r in routes if r.get("receives")])
        rows.append(("HTTP routes", f"{len(routes)}" + (f" ({special})" if special else "")))
    jobs = _items(data, "jobs")
    if jobs:
        rows.append(("Background jobs", _counted([str(j.get("kind")) for j in jobs])))
    tables = _items(data, "tables")
    if tables:
        names = sorted(str(t.get("name")) for t in tables)
        more = f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else ""
        rows.append(("Tables", ", ".join(names[:_MAX_LISTED]) + more))
    layers = data.get("layers")
    if isinstance(layers, Mapping) and layers:
        counted = [
            f"{name} {len(modules)}"
            for name, modules in layers.items()
            if isinstance(modules, list)
        ]
        rows.append(("Layers (modules, guessed)", ", ".join(counted)))
    return rows
