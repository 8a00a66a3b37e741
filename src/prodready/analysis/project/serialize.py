"""The project model as plain JSON-ready data (what `inspect` and the reports show)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from prodready.analysis.project.build import Project
from prodready.analysis.project.layers import FORBIDDEN, LAYERS, layer_edges, module_layers
from prodready.analysis.project.model import Evidence

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def _plain(value: object) -> JsonValue:
    if isinstance(value, Evidence):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _layers(project: Project) -> dict[str, JsonValue]:
    """Modules per layer, as the architecture rules see them (layers.module_layers)."""
    found = module_layers(project.facts, project.model.layers)
    by_layer: dict[str, JsonValue] = {}
    for layer in LAYERS:
        modules: list[JsonValue] = [m for m in sorted(found) if found[m] == layer]
        if modules:
            by_layer[layer] = modules
    return by_layer


def _layer_edges(project: Project) -> list[JsonValue]:
    """Imports between layers, each marked when it goes against the direction of the layers."""
    counts = layer_edges(project.facts, project.model.layers)
    return [
        {
            "from": source,
            "to": target,
            "imports": count,
            "violation": target in FORBIDDEN.get(source, ()),
        }
        for (source, target), count in sorted(counts.items())
    ]


def project_to_data(project: Project) -> dict[str, JsonValue]:
    """stack, entry points, handlers, routes, jobs, hooks, tables, layers and graph sizes."""
    model = project.model
    data: dict[str, JsonValue] = {
        "stack": _plain(model.stack),
        "entry_points": _plain(model.entry_points),
        "handlers": _plain(model.handlers),
        "routes": _plain(model.routes),
        "jobs": _plain(model.jobs),
        "hooks": _plain(model.hooks),
        "tables": _plain(model.schema.tables),
        "schema_differences": _plain(model.schema.differences),
        "layers": _layers(project),
        "layer_edges": _layer_edges(project),
        "graph": {
            "modules": len(project.imports),
            "import_edges": sum(len(v) for v in project.imports.values()),
            "functions": len(project.calls.functions),
            "call_edges": sum(len(v) for v in project.calls.edges.values()),
        },
    }
    return data
