"""Which binding of a local name a statement sees, read from one function's tree.

`Bindings.of(function)` indexes every place the function's own body binds a plain name
(assignments, `for` / `with` targets, walrus, parameters). `reaching(name, node)` is the last
binding written before `node` in a block that encloses `node` — so a binding in the `if`
branch does not reach a statement of the `else` branch. Syntactic and conservative: loops
are not iterated, and a name bound only in a sibling branch has no reaching binding.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


@dataclass(frozen=True, slots=True)
class Binding:
    """kind: "assign" (value is what was assigned; None when unpacked from a tuple), "for"
    (value is the iterable), "with" (the context expression), "param" (value is the
    annotation, None when not annotated)."""

    kind: str
    line: int
    statement: ast.AST
    value: ast.expr | None


@dataclass(slots=True)
class Bindings:
    function: FunctionNode
    parents: dict[int, ast.AST] = field(default_factory=dict)
    names: dict[str, list[Binding]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, function: FunctionNode) -> Bindings:
        found = cls(function)
        args = function.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            found.names[arg.arg].append(Binding("param", 0, function, arg.annotation))
        for node in iter_body(function):
            for child in ast.iter_child_nodes(node):
                found.parents[id(child)] = node
            found._bind(node)
        for statement in function.body:
            found.parents[id(statement)] = function
        return found

    def _bind(self, node: ast.AST) -> None:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._target(target, node, node.value, line)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self._target(node.target, node, node.value, line)
        elif isinstance(node, ast.For | ast.AsyncFor):
            if isinstance(node.target, ast.Name):
                self.names[node.target.id].append(Binding("for", line, node, node.iter))
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    binding = Binding("with", line, node, item.context_expr)
                    self.names[item.optional_vars.id].append(binding)
        elif isinstance(node, ast.NamedExpr):
            self.names[node.target.id].append(Binding("assign", line, node, node.value))

    def _target(self, target: ast.expr, statement: ast.AST, value: ast.expr, line: int) -> None:
        if isinstance(target, ast.Name):
            self.names[target.id].append(Binding("assign", line, statement, value))
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                if isinstance(element, ast.Name):
                    self.names[element.id].append(Binding("assign", line, statement, None))

    def ancestors(self, node: ast.AST) -> list[ast.AST]:
        """`node`'s parents inside the function, innermost first."""
        found: list[ast.AST] = []
        current = self.parents.get(id(node))
        while current is not None and current is not self.function:
            found.append(current)
            current = self.parents.get(id(current))
        return found

    def _block_of(self, statement: ast.AST) -> list[ast.AST]:
        parent = self.parents.get(id(statement))
        for name in _BLOCKS:
            block = getattr(parent, name, None)
            if isinstance(block, list) and any(item is statement for item in block):
                return block
        return []

    def reaching(self, name: str, node: ast.AST) -> Binding | None:
        """The binding of `name` that `node` sees: the last one before it whose block holds
        `node` (or one of its parents); the parameter when no statement binds it first."""
        line = getattr(node, "lineno", 0)
        around = {id(a) for a in (node, *self.ancestors(node))}
        best: Binding | None = None
        for binding in self.names.get(name, ()):
            if binding.kind == "param":
                best = best or binding
                continue
            if binding.line > line or binding.statement is node:
                continue
            if binding.kind == "for" and id(binding.statement) in around:
                best = binding if best is None or binding.line >= best.line else best
                continue
            block = self._block_of(binding.statement)
            if any(id(item) in around for item in block):
                best = binding if best is None or binding.line >= best.line else best
        return best

    def exclusive(self, first: ast.AST, second: ast.AST) -> bool:
        """True when the two nodes sit in different branches of one `if` (the body and the
        `else` / `elif`): one run of the function never executes both."""
        chain = [first, *self.ancestors(first)]
        child_of = {id(parent): child for child, parent in pairwise(chain)}
        for child, parent in pairwise([second, *self.ancestors(second)]):
            mine = child_of.get(id(parent))
            if mine is not None and isinstance(parent, ast.If) and mine is not child:
                body, orelse = parent.body, parent.orelse
                return (_in(mine, body) and _in(child, orelse)) or (
                    _in(mine, orelse) and _in(child, body)
                )
        return False


def _in(node: ast.AST, block: list[ast.stmt]) -> bool:
    return any(item is node for item in block)
