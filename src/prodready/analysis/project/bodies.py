"""The code of a call-graph function: its parsed file and its `def` node, found by name.

Project rules follow handlers and routes through `project.calls`; when they need to read a
function's body (what it writes, what it compares) they ask here. Each file's defs are
indexed once (by their `def` line, the call graph's evidence line) and kept in its memo.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.build import Project
from prodready.analysis.project.graph import targets
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.analysis.walk import iter_body, iter_statements

_MEMO = "bodies.defs_by_line"


@dataclass(frozen=True, slots=True)
class Body:
    """A project function: its call-graph name, its file and its `def` node."""

    name: str
    parsed: ParsedFile
    node: FunctionNode

    @property
    def path(self) -> str:
        return self.parsed.source.path

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def _defs_by_line(parsed: ParsedFile) -> dict[int, FunctionNode]:
    return {
        node.lineno: node
        for node in iter_statements(parsed.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


# Calls that run a function given by reference later: `background_tasks.add_task(f, x)`,
# `loop.run_in_executor(None, f)` (`asyncio.create_task(f(x))` is a call already).
SPAWNERS = frozenset(
    {
        "add_task",
        "create_task",
        "ensure_future",
        "run_in_executor",
        "to_thread",
        "start_soon",
        "spawn",
        "enqueue",
        "enqueue_job",
        "submit",
        "call_soon",
        "call_later",
    }
)


@dataclass(slots=True)
class Code:
    """The project's functions as code, for one rule's check: bodies by call-graph name,
    what a function reaches, who calls it. Indexes are built on first use."""

    project: Project
    files: ParsedFiles
    _callers: dict[str, list[str]] | None = None
    _short: dict[str, list[str]] | None = None

    def body(self, name: str) -> Body | None:
        """The function `name` of the call graph, read from its file; None when unknown."""
        info = self.project.calls.functions.get(name)
        parsed = self.files.get(info.evidence.path) if info is not None else None
        if info is None or parsed is None:
            return None
        node = parsed.memoized(_MEMO, lambda: _defs_by_line(parsed)).get(info.evidence.line)
        return Body(name, parsed, node) if node is not None else None

    def callers(self, name: str) -> tuple[str, ...]:
        """The project functions that call `name` directly."""
        if self._callers is None:
            self._callers = {}
            for caller, callees in self.project.calls.edges.items():
                for callee in callees:
                    self._callers.setdefault(callee, []).append(caller)
        return tuple(self._callers.get(name, ()))

    def reach(self, start: str, depth: int = 5) -> list[Body]:
        """`start` and the project functions it reaches in at most `depth` steps — calls, and
        functions handed to `add_task` / `run_in_executor` by reference — breadth first."""
        return [body for body, _ in self.reach_with_depth(start, depth)]

    def reach_with_depth(self, start: str, depth: int = 5) -> list[tuple[Body, int]]:
        """`reach`, each function with the number of calls from `start` to it."""
        seen = {start: 0}
        order = [start]
        found: list[tuple[Body, int]] = []
        position = 0
        while position < len(order):
            name = order[position]
            position += 1
            body = self.body(name)
            if body is None:
                continue
            found.append((body, seen[name]))
            if seen[name] >= depth:
                continue
            for callee in self.callees(name, body):
                if callee not in seen:
                    seen[callee] = seen[name] + 1
                    order.append(callee)
        return found

    def callees(self, name: str, body: Body) -> list[str]:
        """What `name` calls: the call graph's edges and functions handed over by reference."""
        found = list(self.project.calls.callees(name))
        found += self._by_reference(body)
        return list(dict.fromkeys(found))

    def resolve(self, call: str) -> str | None:
        """The project function a callee name (as `calls.extract` writes it) denotes, linked
        as the call graph links it."""
        if self._short is None:
            self._short = {}
            for function in self.project.calls.functions:
                self._short.setdefault(function.rsplit(".", 1)[-1], []).append(function)
        return next(iter(targets(self.project.calls, [call], self._short)), None)

    def _by_reference(self, body: Body) -> Iterator[str]:
        """Project functions `body` hands to a task runner by reference (not by a call)."""
        module = body.parsed.source.module
        imports = body.parsed.semantic.imports
        functions = self.project.calls.functions
        for node in iter_body(body.node):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            method = func.attr if isinstance(func, ast.Attribute) else dotted_name(func)
            if method not in SPAWNERS:
                continue
            for argument in node.args:
                dotted = dotted_name(argument)
                if dotted is None:
                    continue
                owner = body.name.rsplit(".", 1)[0]  # `self._sync` -> the method's class
                method = f"{owner}.{dotted[5:]}" if dotted.startswith("self.") else ""
                qualified = imports.qualified_name(argument) or ""
                for candidate in (f"{module}.{dotted}", qualified, method):
                    if candidate in functions:
                        yield candidate
                        break
