"""The per-file semantic model: import bindings and where in the code a node sits."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from prodready.analysis.names import ImportTable, dotted_name
from prodready.analysis.walk import iter_statements

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _module_values(tree: ast.Module) -> dict[str, ast.expr]:
    """name -> value of top-level `name = value` / `name: T = value` (first assignment wins)."""
    values: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, statement.value)
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.value is not None
        ):
            values.setdefault(statement.target.id, statement.value)
    return values


@dataclass(slots=True)
class SemanticModel:
    """Answers what rules ask about one module while it is being walked.

    `ancestors` is kept current by the walk: it holds the parents of the node being
    dispatched, root first.
    """

    module: str
    imports: ImportTable
    module_values: dict[str, ast.expr] = field(default_factory=dict)
    ancestors: list[ast.AST] = field(default_factory=list)
    current: ast.AST | None = None

    @classmethod
    def build(cls, tree: ast.Module, module: str, is_package: bool) -> SemanticModel:
        return cls(
            module=module,
            imports=ImportTable.of(iter_statements(tree), module, is_package),
            module_values=_module_values(tree),
        )

    def module_value(self, name: str) -> ast.expr | None:
        """The value a module-level statement assigns to `name` (the first one), if any."""
        return self.module_values.get(name)

    def qualified_name(self, expr: ast.AST) -> str | None:
        """Qualified name of a name / attribute chain rooted in an import, else None."""
        return self.imports.qualified_name(expr)

    def call_name(self, call: ast.Call) -> str | None:
        """The qualified name of the called function, else its dotted text (`self.x.get`)."""
        return self.qualified_name(call.func) or dotted_name(call.func)

    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    def enclosing_function(self) -> FunctionNode | None:
        """The nearest `def` / `async def` around the current node (lambdas and classes stop)."""
        for node in reversed(self.ancestors):
            if isinstance(node, FunctionNode):
                return node
            if isinstance(node, ast.Lambda | ast.ClassDef):
                return None
        return None

    def in_async_function(self) -> bool:
        """True when the current node runs in the body of an `async def` (not a nested def)."""
        for node in reversed(self.ancestors):
            if isinstance(node, _SCOPES):
                return isinstance(node, ast.AsyncFunctionDef)
        return False

    def enclosing_class(self) -> ast.ClassDef | None:
        for node in reversed(self.ancestors):
            if isinstance(node, ast.ClassDef):
                return node
        return None

    def in_loop(self) -> bool:
        """True when the current node sits in a loop body (or else) of its own function."""
        chain = [*self.ancestors, self.current]
        for index in range(len(self.ancestors) - 1, -1, -1):
            node = chain[index]
            if isinstance(node, ast.For | ast.AsyncFor | ast.While):
                child = chain[index + 1]
                if (
                    child is not node.iter
                    if isinstance(node, ast.For | ast.AsyncFor)
                    else (child is not node.test)
                ):
                    return True
            if isinstance(node, _SCOPES):
                return False
        return False

    def decorator_names(self, node: FunctionNode | ast.ClassDef) -> tuple[str, ...]:
        """Qualified (or dotted) names of the decorators, the call's function for `@d(...)`."""
        names: list[str] = []
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.qualified_name(target) or dotted_name(target)
            if name:
                names.append(name)
        return tuple(names)

    def base_names(self, node: ast.ClassDef) -> tuple[str, ...]:
        names = (self.qualified_name(base) or dotted_name(base) for base in node.bases)
        return tuple(name for name in names if name)
