"""Import bindings of a module and the qualified names they give to expressions."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field

_BUILTINS = frozenset(dir(builtins))


def dotted_name(expr: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None (iterative: no recursion)."""
    parts: list[str] = []
    node = expr
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module of `from <level dots><target> import ...` written in `module`."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
    parts = [*package, *(target.split(".") if target else [])]
    return ".".join(part for part in parts if part)


@dataclass(slots=True)
class ImportTable:
    """Local name -> qualified name, from every import statement of one module."""

    module: str = ""
    is_package: bool = False
    bindings: dict[str, str] = field(default_factory=dict)

    def add(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bindings[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    self.bindings[head] = head
            return
        if node.level:
            base = resolve_relative(self.module, self.is_package, node.level, node.module)
        else:
            base = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                continue
            qualified = f"{base}.{alias.name}" if base else alias.name
            self.bindings[alias.asname or alias.name] = qualified

    @classmethod
    def of(cls, statements: Iterable[ast.AST], module: str, is_package: bool) -> ImportTable:
        table = cls(module=module, is_package=is_package)
        for node in statements:
            if isinstance(node, ast.Import | ast.ImportFrom):
                table.add(node)
        return table

    def qualified_name(self, expr: ast.AST) -> str | None:
        """The fully qualified name of a name or attribute chain rooted in an import.

        `aiohttp.ClientSession` -> "aiohttp.ClientSession"; `web.Application` after
        `from aiohttp import web` -> "aiohttp.web.Application"; builtins -> their own name.
        Names not bound by an import (locals, parameters, `self`) give None.
        """
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bound = self.bindings.get(head)
        if bound is None:
            return dotted if head in _BUILTINS else None
        return f"{bound}.{rest}" if rest else bound

    def imports_module(self, prefix: str) -> bool:
        """True when any import binds a name from the package `prefix`."""
        return any(q == prefix or q.startswith(prefix + ".") for q in self.bindings.values())
