"""The `def` statement on a line, from an index built once per file (for project rules
that look up many functions of the same file)."""

from __future__ import annotations

from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_statements


def _index(parsed: ParsedFile) -> dict[int, FunctionNode]:
    return {
        node.lineno: node for node in iter_statements(parsed.tree) if isinstance(node, FunctionNode)
    }


def def_at(parsed: ParsedFile, line: int) -> FunctionNode | None:
    """The function defined on `line` (the call graph's evidence line)."""
    index = parsed.memoized("prodready.rules.defs", lambda: _index(parsed))
    return index.get(line)
