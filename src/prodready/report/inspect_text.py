"""`prodready inspect` as text: what prodready understood about the project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_SECTIONS = (
    ("entry_points", "Entry points", ("kind", "framework", "function", "evidence", "details")),
    ("handlers", "Bot handlers", ("update", "filters", "function", "evidence")),
    ("routes", "HTTP routes", ("method", "path", "function", "receives", "evidence")),
    ("jobs", "Background jobs", ("kind", "function", "schedule", "evidence")),
    ("hooks", "Lifecycle hooks", ("kind", "framework", "function", "evidence")),
)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _rows(items: object, keys: Sequence[str]) -> list[str]:
    if not isinstance(items, list) or not items:
        return ["  (none found)"]
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            parts = [_cell(item.get(key)) for key in keys]
            lines.append("  " + " | ".join(part for part in parts if part))
    return lines


def _tables(items: object) -> list[str]:
    if not isinstance(items, list) or not items:
        return ["  (none found)"]
    lines: list[str] = []
    for table in items:
        if not isinstance(table, Mapping):
            continue
        lines.append(f"  {table.get('name')} ({table.get('source')}, {table.get('evidence')})")
        for column in table.get("columns") or []:
            if not isinstance(column, Mapping):
                continue
            flags = [
                flag
                for flag, key in (("pk", "primary_key"), ("unique", "unique"), ("index", "index"))
                if column.get(key)
            ]
            if not column.get("nullable"):
                flags.append("not null")
            fks = column.get("foreign_keys") or []
            if fks:
                flags.append("fk " + _cell(fks))
            lines.append(
                f"    {column.get('name')}: {column.get('type')} {' '.join(flags)}".rstrip()
            )
    return lines


def render_inspect_text(data: Mapping[str, object]) -> str:
    lines = ["Stack:"]
    stack = data.get("stack")
    if isinstance(stack, list) and stack:
        for component in stack:
            if isinstance(component, Mapping):
                evidence = _cell(component.get("evidence"))
                version = component.get("version")
                declared = f", declared {version}" if version else ""
                lines.append(f"  {component.get('label')}{declared} ({evidence})")
    else:
        lines.append("  (nothing recognised)")
    for key, title, columns in _SECTIONS:
        lines += ["", f"{title}:", *_rows(data.get(key), columns)]
    lines += ["", "Tables:", *_tables(data.get("tables"))]
    layers = data.get("layers")
    lines += ["", "Layers (from package names, what modules do, [tool.prodready.layers]):"]
    if isinstance(layers, Mapping) and layers:
        lines += [f"  {name}: {_cell(modules)}" for name, modules in layers.items()]
    else:
        lines.append("  (no layered layout recognised)")
    graph = data.get("graph")
    if isinstance(graph, Mapping):
        lines += [
            "",
            f"Graphs: {graph.get('modules')} modules, {graph.get('import_edges')} import edges, "
            f"{graph.get('functions')} functions, {graph.get('call_edges')} call edges",
        ]
    return "\n".join(lines) + "\n"
