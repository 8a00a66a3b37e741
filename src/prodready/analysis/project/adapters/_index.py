"""One scoped walk of a file: the nodes adapters look at, defs, and what names are bound to."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._bindings import TypeCollector
from prodready.analysis.project.adapters._common import (
    FUNCTIONS,
    FunctionNode,
    str_items,
    text,
    token_in_path,
)
from prodready.analysis.project.model import Evidence
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body

# Nodes the adapters look at; everything else is walked through but not kept.
_KEPT = (ast.Call, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign)
# Constants never shown as a path's value: the bot token is often the path.
_SECRET_NAME = re.compile("token|secret|key|password", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a node sits: the qualified name of the enclosing def / class (the module at top
    level), the class `self` refers to ("" outside methods), and the defs a bare name can
    reach (its own; class scopes have none, as in Python)."""

    name: str
    owner: str
    defs: Mapping[str, str]
    parent: Scope | None
    is_class: bool = False

    def lookup(self, name: str) -> str | None:
        scope: Scope | None = self
        while scope is not None:
            found = scope.defs.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None


def _own_defs(node: ast.Module | FunctionNode, prefix: str) -> Mapping[str, str]:
    found: dict[str, str] = {}
    for inner in iter_body(node):
        if isinstance(inner, (*FUNCTIONS, ast.ClassDef)):
            found.setdefault(inner.name, f"{prefix}.{inner.name}")
    return MappingProxyType(found)


def _inner(node: FunctionNode | ast.ClassDef, scope: Scope) -> Scope:
    name = f"{scope.name}.{node.name}"
    if isinstance(node, ast.ClassDef):
        return Scope(name, name, MappingProxyType({}), scope, is_class=True)
    owner = scope.name if scope.is_class else scope.owner
    return Scope(name, owner, _own_defs(node, name), scope)


@dataclass(frozen=True, slots=True)
class Index:
    """One walk's worth of a file: the nodes adapters look at (with their scope, in source
    order), every def by qualified name, and what names are bound to."""

    parsed: ParsedFile
    nodes: tuple[tuple[ast.AST, Scope], ...]
    defs: Mapping[str, FunctionNode]
    classes: frozenset[str]
    types: Mapping[str, frozenset[str]]
    values: Mapping[str, ast.Call]
    targets: Mapping[int, str]
    decorators: frozenset[int]
    statements: frozenset[int]
    awaited: frozenset[int]

    @property
    def module(self) -> str:
        return self.parsed.source.module

    def evidence(self, node: ast.AST) -> Evidence:
        return Evidence(self.parsed.source.path, getattr(node, "lineno", 0))

    def imports(self, *packages: str) -> bool:
        return any(self.parsed.semantic.imports.imports_module(p) for p in packages)

    def qualify(self, expr: ast.AST, scope: Scope) -> str | None:
        """The qualified name of a name / attribute chain rooted in a def or an import."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bound = scope.lookup(head) or self.parsed.semantic.imports.bindings.get(head)
        if bound is None:
            return None
        return f"{bound}.{rest}" if rest else bound

    def ref(self, expr: ast.AST, scope: Scope, instance: bool = False) -> str:
        """The function (or class) an expression names, as the adapters report it.

        `partial(f, ...)` names `f`, also through a variable (`setup = partial(f, x)`);
        `Cls(...)` names `Cls`; with `instance`, a variable holding `Cls(...)` names `Cls`
        (a middleware built once and registered twice); `svc.method` on a variable holding
        `Service(...)` names `Service.method`."""
        for _ in range(8):  # unwrap partial(f, ...) / Middleware(Cls, ...) / Cls(...)
            if isinstance(expr, ast.Name) and expr.id in self.values and not scope.lookup(expr.id):
                built = self.values[expr.id]
                wrapper = self.qualify(built.func, scope) or dotted_name(built.func) or ""
                if instance or wrapper.rsplit(".", 1)[-1] == "partial":
                    expr = built
            if not isinstance(expr, ast.Call):
                break
            callee = self.qualify(expr.func, scope) or dotted_name(expr.func) or ""
            wraps = callee.rsplit(".", 1)[-1] in ("partial", "Middleware")
            expr = expr.args[0] if wraps and expr.args else expr.func
        if isinstance(expr, ast.Lambda):
            return "<lambda>"
        dotted = dotted_name(expr)
        if dotted is None:
            return text(expr)
        head, _, rest = dotted.partition(".")
        if head in ("self", "cls") and rest and scope.owner:
            return f"{scope.owner}.{rest}"
        qualified = self.qualify(expr, scope)
        if qualified is not None:
            return qualified
        kinds = self.types.get(head, frozenset())
        kind = next(iter(kinds)) if len(kinds) == 1 else ""
        if rest and kind[kind.rfind(".") + 1 :][:1].isupper():
            return f"{kind}.{rest}"  # a method of an instance of a class built here
        return self.object_name(expr, scope)

    def object_name(self, expr: ast.AST, scope: Scope) -> str:
        """An object (router, app, scheduler): module variable, import, or as written."""
        dotted = dotted_name(expr)
        return text(expr) if dotted is None else self.dotted_object(dotted, scope)

    def dotted_object(self, dotted: str, scope: Scope) -> str:
        head, _, rest = dotted.partition(".")
        bound = self.parsed.semantic.imports.bindings.get(head)
        if bound is not None:
            return f"{bound}.{rest}" if rest else bound
        if head in self.parsed.semantic.module_values and scope.lookup(head) is None:
            return f"{self.module}.{dotted}"
        return dotted

    def type_of(self, expr: ast.AST) -> frozenset[str]:
        """What `expr` (a name or `self.x`) is bound to anywhere in the file: the qualified
        names of the classes it is constructed from or annotated with, and ".attr" for a
        value read from an attribute (`jq = app.job_queue` gives ".job_queue")."""
        dotted = dotted_name(expr)
        return self.types.get(dotted, frozenset()) if dotted else frozenset()

    def str_value(self, expr: ast.AST | None) -> str | None:
        """A string literal, or a module-level constant holding one."""
        if isinstance(expr, ast.Name):
            expr = self.parsed.semantic.module_value(expr.id)
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        return None

    def str_items(self, expr: ast.AST | None) -> tuple[str, ...]:
        """`str_items` of an expression or of the module-level constant it names."""
        if isinstance(expr, ast.Name):
            expr = self.parsed.semantic.module_value(expr.id) or expr
        return str_items(expr)

    def path_text(self, expr: ast.AST | None) -> str:
        """A path as written: a literal or module constant as is, an f-string with its
        holes in braces ("/webhook/{BOT_TOKEN}"), a `+` of such parts joined ("/app{BOT_PATH}"),
        anything else as "{expression}"."""
        if expr is None:
            return ""
        if isinstance(expr, ast.Name) and not _SECRET_NAME.search(expr.id):
            expr = self.parsed.semantic.module_value(expr.id) or expr
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.JoinedStr):
            return "".join(
                part.value
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
                else "{" + text(getattr(part, "value", part)) + "}"
                for part in expr.values
            )
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            parts: list[ast.expr] = []  # "/app" + BOT_PATH, flattened without recursion
            left: ast.expr = expr
            while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
                parts.append(left.right)
                left = left.left
            if len(parts) < _MAX_JOINED:
                parts.append(left)
                return "".join(self.path_text(part) for part in reversed(parts))
        return "{" + text(expr) + "}"

    def mentions_token(self, expr: ast.AST | None) -> bool:
        """A URL or path built from the bot token (which then ends up in access logs): its
        text, or that of a module constant it uses, names a token (not a secret token)."""
        if expr is None:
            return False
        texts = [text(expr, 400)]
        for node in ast.walk(expr):
            if isinstance(node, ast.Name):
                value = self.parsed.semantic.module_value(node.id)
                if value is not None:
                    texts.append(text(value, 400))
        return any(token_in_path(written) for written in texts)


_MAX_JOINED = 8  # parts of a path joined with `+`; beyond that it is not a path


def build_index(parsed: ParsedFile) -> Index:
    """The file's index, built once per file and shared by every adapter."""
    return parsed.memoized("adapters.index", lambda: _build_index(parsed))


def _build_index(parsed: ParsedFile) -> Index:
    """Walk the file once, iteratively, keeping scopes (decorators, defaults and bases belong
    to the enclosing scope, bodies to the def / class)."""
    module = parsed.source.module
    top = Scope(module, "", _own_defs(parsed.tree, module), None)
    nodes: list[tuple[ast.AST, Scope]] = []
    defs: dict[str, FunctionNode] = {}
    classes: set[str] = set()
    types: dict[str, set[str]] = {}
    values: dict[str, ast.Call] = {}
    targets: dict[int, str] = {}
    decorators: set[int] = set()
    statements: set[int] = set()
    awaited: set[int] = set()
    index_types = TypeCollector(parsed, types)
    stack: list[tuple[ast.AST, Scope]] = [(parsed.tree, top)]
    while stack:
        node, scope = stack.pop()
        if isinstance(node, _KEPT):
            nodes.append((node, scope))
        children: list[tuple[ast.AST, Scope]] = []
        if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            inner = _inner(node, scope)
            if isinstance(node, FUNCTIONS):
                defs.setdefault(inner.name, node)
                index_types.parameters(node, scope)
            else:
                classes.add(inner.name)
            decorators.update(id(d) for d in node.decorator_list)
            for name, value in ast.iter_fields(node):
                owner = inner if name == "body" else scope
                items = value if isinstance(value, list) else [value]
                children.extend((item, owner) for item in items if isinstance(item, ast.AST))
        else:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                statements.add(id(node.value))
            elif isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
                awaited.add(id(node.value))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                index_types.assignment(node, scope, values, targets)
            children.extend((child, scope) for child in ast.iter_child_nodes(node))
        stack.extend(reversed(children))
    return Index(
        parsed=parsed,
        nodes=tuple(nodes),
        defs=MappingProxyType(defs),
        classes=frozenset(classes),
        types=MappingProxyType({k: frozenset(v) for k, v in types.items()}),
        values=MappingProxyType(values),
        targets=MappingProxyType(targets),
        decorators=frozenset(decorators),
        statements=frozenset(statements),
        awaited=frozenset(awaited),
    )
