"""Project functions by their call-graph name, as trees: what project rules read when the
project model names a handler, a route or a job and the rule needs its body."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from prodready.analysis.project.build import Project
from prodready.analysis.revisit import function_at
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile, ParsedFiles


def function_node(
    project: Project, files: ParsedFiles, name: str
) -> tuple[ParsedFile, FunctionNode] | None:
    """The file and the def of the project function `name` (None when not in the graph)."""
    info = project.calls.functions.get(name)
    parsed = files.get(info.evidence.path) if info is not None else None
    node = function_at(parsed, info.evidence.line) if parsed is not None and info else None
    return (parsed, node) if parsed is not None and node is not None else None


def reached_bodies(
    project: Project, files: ParsedFiles, name: str, depth: int
) -> list[tuple[str, FunctionNode]]:
    """`name` and the project functions it reaches in at most `depth` calls, with bodies."""
    found: list[tuple[str, FunctionNode]] = []
    for reached in project.calls.reachable(name, depth) or (name,):
        located = function_node(project, files, reached)
        if located is not None:
            found.append((reached, located[1]))
    return found


def functions_of(
    parsed: ParsedFile,
) -> Iterator[tuple[str, FunctionNode, Mapping[str, FunctionNode]]]:
    """Every def of the file with its call-graph name (`<module>.<Class>.<method>`, nested
    defs `<module>.<outer>.<inner>`) and, for a method, the methods of its class."""
    stack: list[tuple[ast.AST, str, Mapping[str, FunctionNode]]] = [
        (parsed.tree, parsed.source.module, {})
    ]
    while stack:
        node, prefix, methods = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                own = {m.name: m for m in child.body if isinstance(m, FunctionNode)}
                stack.append((child, f"{prefix}.{child.name}", own))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}.{child.name}"
                inside = methods if isinstance(node, ast.ClassDef) else {}
                yield name, child, inside
                stack.append((child, name, {}))
            elif isinstance(child, ast.stmt):
                stack.append((child, prefix, methods))
