"""Per-file facts for the call graph: functions, what they call, classes and attribute types."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import partial

from prodready.analysis.dataflow import self_updates
from prodready.analysis.names import dotted_name
from prodready.analysis.orm import (
    LoadedRows,
    local_assignments,
    module_loaders,
    persists,
)
from prodready.analysis.project.model import (
    ClassInfo,
    Evidence,
    FileFacts,
    FunctionInfo,
)
from prodready.analysis.project.row_returns import returned_shapes
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body, iter_subtree

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(slots=True)
class _Resolver:
    """Turns names in one module into qualified names."""

    parsed: ParsedFile
    local_defs: dict[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.parsed.source.module

    def name(self, expr: ast.AST) -> str | None:
        """A qualified name for a name / attribute chain: module-level defs, then imports."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        local = self.local_defs.get(head)
        if local is not None:
            return f"{local}.{rest}" if rest else local
        return self.parsed.semantic.qualified_name(expr)

    def annotation(self, node: ast.AST | None) -> str | None:
        """The class an annotation names: `Repo`, `"Repo"`, `Optional[Repo]`, `Repo | None`."""
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            for side in (node.left, node.right):
                if not (isinstance(side, ast.Constant) and side.value is None):
                    return self.annotation(side)
        if isinstance(node, ast.Subscript):
            outer = dotted_name(node.value) or ""
            if outer.rsplit(".", 1)[-1] in ("Optional", "Annotated"):
                inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
                return self.annotation(inner)
            return None
        return self.name(node)


def _local_types(fn: ast.FunctionDef | ast.AsyncFunctionDef, resolver: _Resolver) -> dict[str, str]:
    types: dict[str, str] = {}
    args = fn.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        resolved = resolver.annotation(arg.annotation)
        if resolved:
            types[arg.arg] = resolved
    for node in iter_body(fn):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            resolved = resolver.annotation(node.annotation)
            if resolved:
                types[node.target.id] = resolved
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            resolved = resolver.name(node.value.func)
            for target in node.targets:
                if resolved and isinstance(target, ast.Name):
                    types.setdefault(target.id, resolved)
        elif isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Call):
            resolved = resolver.name(node.context_expr.func)
            if resolved and isinstance(node.optional_vars, ast.Name):
                types.setdefault(node.optional_vars.id, resolved)
    return types


def _callee(
    call: ast.Call, resolver: _Resolver, types: dict[str, str], owner: ClassInfo | None
) -> str | None:
    dotted = dotted_name(call.func)
    if dotted is None:
        if isinstance(call.func, ast.Attribute):
            return f"*.{call.func.attr}"
        return None
    parts = dotted.split(".")
    head = parts[0]
    if owner is not None and head in ("self", "cls") and len(parts) >= 2:
        attributes = dict(owner.attribute_types)
        if len(parts) >= 3 and parts[1] in attributes:
            return ".".join([attributes[parts[1]], *parts[2:]])
        return ".".join([owner.name, *parts[1:]]) if len(parts) == 2 else f"*.{parts[-1]}"
    if head in types and len(parts) >= 2:
        return ".".join([types[head], *parts[1:]])
    resolved = resolver.name(call.func)
    if resolved is not None:
        return resolved
    return f"*.{parts[-1]}" if len(parts) >= 2 else None


def _class_info(node: ast.ClassDef, qualname: str, resolver: _Resolver, path: str) -> ClassInfo:
    attributes: dict[str, str] = {}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            resolved = resolver.annotation(statement.annotation)
            if resolved:
                attributes[statement.target.id] = resolved
    for statement in node.body:
        if isinstance(statement, _FUNCTIONS) and statement.name == "__init__":
            params = _local_types(statement, resolver)
            for inner in iter_body(statement):
                if not isinstance(inner, ast.Assign | ast.AnnAssign):
                    continue
                targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                for target in targets:
                    is_self = (
                        isinstance(target, ast.Attribute) and dotted_name(target.value) == "self"
                    )
                    if not is_self or not isinstance(target, ast.Attribute):
                        continue
                    value = inner.value
                    attr_type: str | None = None
                    if isinstance(inner, ast.AnnAssign):
                        attr_type = resolver.annotation(inner.annotation)
                    if attr_type is None and isinstance(value, ast.Name):
                        attr_type = params.get(value.id)
                    if attr_type is None and isinstance(value, ast.Call):
                        attr_type = resolver.name(value.func)
                    if attr_type:
                        attributes.setdefault(target.attr, attr_type)
    # `BaseRepository[User]`: a generic base is its class
    unsubscripted = (base.value if isinstance(base, ast.Subscript) else base for base in node.bases)
    bases = tuple(b for b in (resolver.name(base) for base in unsubscripted) if b)
    return ClassInfo(
        qualname, Evidence(path, node.lineno), bases, tuple(sorted(attributes.items()))
    )


def _module_resolver(parsed: ParsedFile) -> _Resolver:
    resolver = _Resolver(parsed)
    for statement in parsed.tree.body:
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            resolver.local_defs[statement.name] = f"{parsed.source.module}.{statement.name}"
    return resolver


def callee_names(
    parsed: ParsedFile, function: ast.FunctionDef | ast.AsyncFunctionDef, owner: ClassInfo | None
) -> dict[int, str]:
    """id(call) -> its callee as `extract` names it (see FunctionInfo.calls), for each call
    of the function's own body; `owner`: the class of a method."""
    resolver = _module_resolver(parsed)
    types = _local_types(function, resolver)
    return {
        id(node): callee
        for node in iter_body(function)
        if isinstance(node, ast.Call)
        and (callee := _callee(node, resolver, types, owner)) is not None
    }


def extract(parsed: ParsedFile) -> FileFacts:
    """Functions (with resolved calls) and classes of one module."""
    module = parsed.source.module
    path = parsed.source.path
    resolver = _module_resolver(parsed)
    functions: list[FunctionInfo] = []
    classes: list[ClassInfo] = []
    stack: list[tuple[ast.AST, str, ClassInfo | None]] = [(parsed.tree, module, None)]
    while stack:
        scope, prefix, owner = stack.pop()
        body = getattr(scope, "body", [])
        for node in body if isinstance(body, list) else []:
            if isinstance(node, ast.ClassDef):
                info = _class_info(node, f"{prefix}.{node.name}", resolver, path)
                classes.append(info)
                stack.append((node, info.name, info))
            elif isinstance(node, _FUNCTIONS):
                name = f"{prefix}.{node.name}"
                types = _local_types(node, resolver)
                calls = [
                    callee
                    for inner in iter_body(node)
                    if isinstance(inner, ast.Call)
                    and (callee := _callee(inner, resolver, types, owner)) is not None
                ]
                decorators = parsed.semantic.decorator_names(node)
                naming = partial(_callee, resolver=resolver, types=types, owner=owner)
                returned, items = returned_shapes(node, naming)
                rewrites = any(True for _ in self_updates(node)) and persists(node)
                functions.append(
                    FunctionInfo(
                        name=name,
                        evidence=Evidence(path, node.lineno),
                        is_async=isinstance(node, ast.AsyncFunctionDef),
                        calls=tuple(dict.fromkeys(calls)),
                        decorators=decorators,
                        returned=returned,
                        returned_items=items,
                        rewrites_row=rewrites,
                        loads_row=rewrites and _loads_row(node, parsed.tree),
                    )
                )
                stack.append((node, name, None))
            elif isinstance(node, ast.If | ast.Try | ast.With | ast.AsyncWith):
                stack.append((node, prefix, owner))
    return FileFacts(
        path=path,
        module=module,
        functions=tuple(functions),
        classes=tuple(classes),
        module_calls=_module_calls(parsed.tree, resolver),
        instances=_instances(parsed.tree, resolver),
    )


def _instances(tree: ast.Module, resolver: _Resolver) -> tuple[tuple[str, str], ...]:
    """Module-level `name = Class(...)` / `name: Class = ...`: (module.name, the class)."""
    found: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
            built = resolver.name(value.func) if isinstance(value, ast.Call) else None
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, built = statement.target, resolver.annotation(statement.annotation)
        else:
            continue
        if isinstance(target, ast.Name) and built:
            found[f"{resolver.module}.{target.id}"] = built
    return tuple(sorted(found.items()))


def _loads_row(function: ast.FunctionDef | ast.AsyncFunctionDef, module: ast.Module) -> bool:
    values = local_assignments(function)
    return LoadedRows.of(function, values, module_loaders(module)).loads_any


def _module_calls(tree: ast.Module, resolver: _Resolver) -> tuple[str, ...]:
    """Calls made by module-level code (including `if __name__ == "__main__":` blocks)."""
    found: list[str] = []
    for statement in tree.body:
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            continue
        for node in iter_subtree(statement, same_scope=True):
            if isinstance(node, ast.Call):
                callee = _callee(node, resolver, {}, None)
                if callee is not None:
                    found.append(callee)
    return tuple(dict.fromkeys(found))
