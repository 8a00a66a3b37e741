"""Walk a parsed file again from a project rule, with its semantic model kept current.

Project rules decide from the project model which few files matter, then ask the same
questions file rules ask during the engine's walk (`origin`, `in_loop`, `qualified_name` "here").
`walk_semantic` keeps `semantic.current` and `semantic.ancestors` as the engine's walk does,
and leaves the model as it found it (no current node) when the walk ends or is abandoned.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.project.build import Project
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.analysis.walk import iter_body, iter_statements, walk_with_ancestors


def walk_semantic(parsed: ParsedFile) -> Iterator[ast.AST]:
    """Every node of the file in pre-order; while one is yielded it is `semantic.current`."""
    semantic = parsed.semantic
    try:
        for node in walk_with_ancestors(parsed.tree, semantic.ancestors):
            semantic.current = node
            yield node
    finally:
        semantic.current = None
        semantic.ancestors.clear()


def function_at(parsed: ParsedFile, line: int) -> FunctionNode | None:
    """The `def` / `async def` statement on `line` (the call graph's evidence line)."""
    for statement in iter_statements(parsed.tree):
        if isinstance(statement, FunctionNode) and statement.lineno == line:
            return statement
    return None


def current_function_name(parsed: ParsedFile) -> str | None:
    """The call graph's name of the function holding the semantic model's current node:
    "<module>.<function>" or "<module>.<Class>.<method>"."""
    function = parsed.semantic.enclosing_function()
    if function is None:
        return None
    cls = parsed.semantic.enclosing_class()
    owner = f"{parsed.source.module}.{cls.name}" if cls is not None else parsed.source.module
    return f"{owner}.{function.name}"


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    found = next((k.value for k in call.keywords if k.arg == name), None)
    if found is not None:
        return found
    return call.args[position] if 0 <= position < len(call.args) else None


def call_site_arguments(
    project: Project, files: ParsedFiles, target: str, position: int, name: str
) -> list[ast.expr | None]:
    """What every call of the project function `target` passes for its parameter `name`
    (declared at `position`, `self` counted): one entry per call the call graph links to it,
    None where the argument is not written (a default, or hidden in `*args`)."""
    short = target.rsplit(".", 1)[-1]
    owner = target.rsplit(".", 1)[0]
    position -= 1 if owner in project.calls.classes else 0
    found: list[ast.expr | None] = []
    for caller, callees in project.calls.edges.items():
        if target not in callees:
            continue
        info = project.calls.functions[caller]
        parsed = files.get(info.evidence.path)
        node = function_at(parsed, info.evidence.line) if parsed is not None else None
        for call in iter_body(node) if node is not None else ():
            called = dotted_name(call.func) if isinstance(call, ast.Call) else None
            if isinstance(call, ast.Call) and called and called.rsplit(".", 1)[-1] == short:
                found.append(_argument(call, position, name))
    return found


def call_to(function: FunctionNode, callee: str) -> ast.Call | None:
    """The first call in `function`'s own body whose name ends like `callee` ("a.b.helper"
    -> `helper(...)`, `self.helper(...)`, `module.helper(...)`)."""
    short = callee.rsplit(".", 1)[-1]
    for node in iter_body(function):
        called = dotted_name(node.func) if isinstance(node, ast.Call) else None
        if isinstance(node, ast.Call) and called and called.rsplit(".", 1)[-1] == short:
            return node
    return None
