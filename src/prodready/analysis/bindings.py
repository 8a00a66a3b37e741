"""What a plain name or a `self.<attr>` holds, read from every place its scope binds it.

`origin(expr, semantic)` answers "is `client` an `httpx.AsyncClient`?" for the current node:
the qualified name of the call that built the value (`x = httpx.AsyncClient()`,
`async with aiohttp.ClientSession() as x`, `loop = asyncio.get_running_loop()`) or of the
annotation (`x: httpx.AsyncClient`, `x: aiohttp.ClientSession | None = None`), when every
binding of the name in its scope agrees. Anything else (a parameter without annotation, a
tuple target, `x = await make()`, two different constructors) gives None: rules that need
precision treat None as "unknown".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_body, iter_subtree

_CALLABLES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_NAMED_BINDERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler)
_UNKNOWN = "?"


def _child_is_body(node: ast.AST, child: ast.AST) -> bool:
    if isinstance(node, ast.Lambda):
        return child is node.body
    return isinstance(child, ast.stmt)


def _scopes_here(semantic: SemanticModel) -> Iterator[FunctionNode | ast.Lambda]:
    """The defs and lambdas whose body holds the current node, innermost first."""
    child = semantic.current
    for node in reversed(semantic.ancestors):
        if child is not None and isinstance(node, _CALLABLES) and _child_is_body(node, child):
            yield node
        child = node


def binding_scope(name: str, semantic: SemanticModel) -> ast.Module | FunctionNode | None:
    """The function (or the module) whose namespace `name` belongs to, seen from the current
    node; None for imports, names bound in a lambda, builtins and unbound names."""
    for scope in _scopes_here(semantic):
        frame = semantic.frame(scope)
        if name in frame.imports:
            return None
        if name in frame.names:
            return None if isinstance(scope, ast.Lambda) else scope
    root = semantic.ancestors[0] if semantic.ancestors else None
    if isinstance(root, ast.Module) and name in semantic.module_frame.names:
        return root
    return None


def _annotation_name(annotation: ast.expr | None, semantic: SemanticModel) -> str | None:
    """`X`, `X | None`, `Optional[X]`, `"X"` -> the qualified name of X."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [s for s in (annotation.left, annotation.right) if not _is_none(s)]
        return _annotation_name(sides[0], semantic) if len(sides) == 1 else None
    if isinstance(annotation, ast.Subscript):
        if semantic.qualified_name(annotation.value) in {"typing.Optional", "Optional"}:
            return _annotation_name(annotation.slice, semantic)
        return None
    return semantic.qualified_name(annotation) if annotation is not None else None


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _value_name(value: ast.expr | None, semantic: SemanticModel) -> str:
    """The qualified name of the call that built `value`; "" for `None` (no information)."""
    if _is_none(value):
        return ""
    if isinstance(value, ast.Call):
        return semantic.qualified_name(value.func) or _UNKNOWN
    return _UNKNOWN


def _agree(origins: list[str]) -> str | None:
    known = {o for o in origins if o}
    if len(known) != 1 or _UNKNOWN in known:
        return None
    return known.pop()


def _parameter(scope: FunctionNode, name: str) -> ast.arg | None:
    args = scope.args
    every = (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
    return next((a for a in every if a is not None and a.arg == name), None)


def _global_declarers(module: ast.Module, semantic: SemanticModel) -> dict[str, list[FunctionNode]]:
    """name -> the functions of the module that declare it `global` (one walk per file)."""
    key = ("global-declarers", id(module))
    found = semantic.memo.get(key)
    if found is None:
        declarers: dict[str, list[FunctionNode]] = {}
        for node in iter_subtree(module):
            if isinstance(node, FunctionNode):
                for inner in iter_body(node):
                    if isinstance(inner, ast.Global):
                        for name in inner.names:
                            declarers.setdefault(name, []).append(node)
        semantic.memo[key] = found = declarers
    return found  # type: ignore[return-value]


def _local_origins(
    name: str, scope: ast.Module | FunctionNode, semantic: SemanticModel
) -> list[str]:
    origins: list[str] = []
    if isinstance(scope, ast.Module):
        for function in _global_declarers(scope, semantic).get(name, []):
            origins.extend(_bound_in(name, function, semantic))
    else:
        parameter = _parameter(scope, name)
        if parameter is not None:
            origins.append(_annotation_name(parameter.annotation, semantic) or _UNKNOWN)
    origins.extend(_bound_in(name, scope, semantic))
    return origins


def _bound_in(name: str, scope: ast.Module | FunctionNode, semantic: SemanticModel) -> list[str]:
    """Origins of the bindings of `name` written in the body of `scope` (not parameters)."""
    return _bindings_index(scope, semantic).get(name, [])


def _bindings_index(
    scope: ast.Module | FunctionNode, semantic: SemanticModel
) -> dict[str, list[str]]:
    """name -> origins of every binding in the body of `scope`, built in one walk per scope."""
    key = ("bindings", id(scope))
    cached = semantic.memo.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    index: dict[str, list[str]] = {}
    explained: set[int] = set()
    stores: list[ast.Name] = []

    def add(target: ast.Name, origin: str) -> None:
        explained.add(id(target))
        index.setdefault(target.id, []).append(origin)

    for node in iter_body(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                add(target, _value_name(node.value, semantic))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            annotated = _annotation_name(node.annotation, semantic)
            add(node.target, annotated or _value_name(node.value, semantic))
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            add(node.optional_vars, _value_name(node.context_expr, semantic) or _UNKNOWN)
        elif isinstance(node, ast.NamedExpr):
            add(node.target, _value_name(node.value, semantic))
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores.append(node)
        elif isinstance(node, _NAMED_BINDERS) and node.name:
            index.setdefault(node.name, []).append(_UNKNOWN)  # a def, class or `except as`
    for store in stores:
        if id(store) not in explained:
            index.setdefault(store.id, []).append(_UNKNOWN)
    semantic.memo[key] = index
    return index


def _self_name(semantic: SemanticModel) -> tuple[ast.ClassDef, str] | None:
    """The class and the name of the first parameter of the method holding the current node."""
    function = semantic.enclosing_function()
    cls = semantic.enclosing_class()
    if function is None or cls is None or not any(s is function for s in cls.body):
        return None
    positional = (*function.args.posonlyargs, *function.args.args)
    return (cls, positional[0].arg) if positional else None


def _attribute_origins(cls: ast.ClassDef, attr: str, semantic: SemanticModel) -> list[str]:
    origins: list[str] = []
    for statement in cls.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.target.id == attr:
                annotated = _annotation_name(statement.annotation, semantic)
                origins.append(annotated or _value_name(statement.value, semantic))
        elif isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == attr for t in statement.targets
        ):
            origins.append(_value_name(statement.value, semantic))
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = (*statement.args.posonlyargs, *statement.args.args)
            if positional:
                origins.extend(_method_origins(statement, positional[0].arg, attr, semantic))
    return origins


def _is_self_attr(node: ast.AST, self_name: str, attr: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == attr
        and isinstance(node.value, ast.Name)
        and node.value.id == self_name
    )


def _method_origins(
    method: FunctionNode, self_name: str, attr: str, semantic: SemanticModel
) -> Iterator[str]:
    explained: set[int] = set()
    for node in iter_body(method):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            if _is_self_attr(node.targets[0], self_name, attr):
                explained.add(id(node.targets[0]))
                yield _value_name(node.value, semantic)
        elif isinstance(node, ast.AnnAssign) and _is_self_attr(node.target, self_name, attr):
            explained.add(id(node.target))
            annotated = _annotation_name(node.annotation, semantic)
            yield annotated or _value_name(node.value, semantic)
        elif (
            _is_self_attr(node, self_name, attr)
            and isinstance(node, ast.Attribute)
            and not isinstance(node.ctx, ast.Load)
            and id(node) not in explained
        ):
            yield _UNKNOWN  # `self.x += ...`, `self.x, self.y = ...`, `with ... as self.x`


def origin(expr: ast.AST, semantic: SemanticModel) -> str | None:
    """The qualified name of what `expr` (a name or `self.attr`) holds at the current node:
    the call that built it or its annotation, when all bindings agree; else None."""
    if isinstance(expr, ast.Name):
        scope = binding_scope(expr.id, semantic)
        return None if scope is None else _agree(_local_origins(expr.id, scope, semantic))
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        found = _self_name(semantic)
        if found is None or found[1] != expr.value.id:
            return None
        return _agree(_attribute_origins(found[0], expr.attr, semantic))
    return None


def is_read(name: str, scope: ast.Module | FunctionNode) -> bool:
    """True when `scope`'s code (nested functions and lambdas included: closures) reads the
    plain name `name` anywhere."""
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for statement in scope.body
        for node in iter_subtree(statement)
    )
