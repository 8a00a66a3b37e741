"""What names are bound to, collected during the walk: classes built, annotated or read."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._common import FunctionNode, origin
from prodready.analysis.source import ParsedFile

if TYPE_CHECKING:
    from prodready.analysis.project.adapters._index import Scope


@dataclass(frozen=True, slots=True)
class TypeCollector:
    parsed: ParsedFile
    types: dict[str, set[str]]

    def _qualify(self, expr: ast.AST, scope: Scope) -> str | None:
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bound = scope.lookup(head) or self.parsed.semantic.imports.bindings.get(head)
        return (f"{bound}.{rest}" if rest else bound) if bound else None

    def annotation(self, node: ast.AST | None, scope: Scope) -> str | None:
        """The class an annotation names: `T`, `"T"`, `Optional[T]`, `T | None`,
        `Annotated[T, ...]`."""
        for _ in range(8):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                try:
                    node = ast.parse(node.value, mode="eval").body
                except SyntaxError:
                    return None
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
                left_none = isinstance(node.left, ast.Constant) and node.left.value is None
                node = node.right if left_none else node.left
            elif isinstance(node, ast.Subscript):
                outer = dotted_name(node.value) or ""
                if outer.rsplit(".", 1)[-1] not in ("Optional", "Annotated"):
                    return None
                node = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            else:
                return self._qualify(node, scope) if node is not None else None
        return None

    def _add(self, target: ast.AST, kind: str | None, scope: Scope) -> None:
        dotted = dotted_name(target)
        if dotted is None or kind is None:
            return
        if scope.is_class and isinstance(target, ast.Name):
            self.types.setdefault(f"self.{dotted}", set()).add(kind)
        self.types.setdefault(dotted, set()).add(kind)

    def parameters(self, node: FunctionNode, scope: Scope) -> None:
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            self._add(ast.Name(arg.arg), self.annotation(arg.annotation, scope), scope)

    def assignment(
        self,
        node: ast.Assign | ast.AnnAssign,
        scope: Scope,
        values: dict[str, ast.Call],
        targets: dict[int, str],
    ) -> None:
        value = node.value
        written = node.targets if isinstance(node, ast.Assign) else [node.target]
        kind: str | None = None
        if isinstance(node, ast.AnnAssign):
            kind = self.annotation(node.annotation, scope)
        if kind is None and isinstance(value, ast.Call):
            kind = self._qualify(origin(value), scope)
        elif kind is None and isinstance(value, ast.Attribute):
            kind = "." + value.attr
        for target in written:
            self._add(target, kind, scope)
            dotted = dotted_name(target)
            if dotted is not None and isinstance(value, ast.Call):
                values.setdefault(dotted, value)
                targets.setdefault(id(value), dotted)
