"""The per-file semantic model: import bindings and where in the code a node sits."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field

from prodready.analysis.names import ImportTable, dotted_name
from prodready.analysis.walk import iter_body, iter_statements

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FrameNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
_CALLABLES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_BUILTINS = frozenset(dir(builtins))


def _in_body(scope: ast.AST, child: ast.AST) -> bool:
    """True when `child`, a direct child of the def / lambda / class `scope`, is its body.

    Decorators, parameter defaults and annotations, return annotations and class bases are
    evaluated where the `def` / `class` statement runs: in the enclosing code.
    """
    if isinstance(scope, ast.Lambda):
        return child is scope.body
    return isinstance(child, ast.stmt)


def _contains(block: list[ast.stmt], child: ast.AST) -> bool:
    return any(statement is child for statement in block)


@dataclass(frozen=True, slots=True)
class Frame:
    """The names a module or a function binds in its own namespace.

    `imports` are bound by import statements of this frame; `names` by anything else
    (parameters, assignments, `for` / `with` / `except` targets, nested `def` / `class`).
    Names declared `global` / `nonlocal` belong to another frame and are in neither.
    """

    names: frozenset[str]
    imports: dict[str, str]


def frame_of(node: FrameNode, module: str, is_package: bool) -> Frame:
    names: set[str] = set()
    declared: set[str] = set()
    table = ImportTable(module=module, is_package=is_package)
    if isinstance(node, _CALLABLES):
        args = node.args
        every = (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
        names.update(arg.arg for arg in every if arg is not None)
    for inner in () if isinstance(node, ast.Lambda) else iter_body(node):
        if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
            names.add(inner.id)
        elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(inner.name)
        elif isinstance(inner, ast.Import | ast.ImportFrom):
            table.add(inner)
        elif isinstance(inner, ast.Global | ast.Nonlocal):
            declared.update(inner.names)
        elif isinstance(inner, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and inner.name:
            names.add(inner.name)
        elif isinstance(inner, ast.MatchMapping) and inner.rest:
            names.add(inner.rest)
    imports = {k: v for k, v in table.bindings.items() if k not in declared}
    return Frame(frozenset(names - declared - imports.keys()), imports)


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
    dispatched (`current`), root first. Questions about "here" (names, async, loops) are
    answered for `current` and the expressions directly inside it.
    """

    module: str
    imports: ImportTable
    module_values: dict[str, ast.expr] = field(default_factory=dict)
    ancestors: list[ast.AST] = field(default_factory=list)
    current: ast.AST | None = None
    module_frame: Frame = field(default_factory=lambda: Frame(frozenset(), {}))
    frames: dict[ast.AST, Frame] = field(default_factory=dict)
    _frames_for: tuple[ast.AST | None, int, tuple[Frame, ...]] = (None, 0, ())
    memo: dict[tuple[str, int], object] = field(default_factory=dict)
    """Per-file results derived from one scope (e.g. the bindings index of a function),
    keyed by (what, id(scope)); computed once instead of once per question."""

    @classmethod
    def build(cls, tree: ast.Module, module: str, is_package: bool) -> SemanticModel:
        return cls(
            module=module,
            imports=ImportTable.of(iter_statements(tree), module, is_package),
            module_values=_module_values(tree),
            module_frame=frame_of(tree, module, is_package),
        )

    def frame(self, node: FunctionNode | ast.Lambda) -> Frame:
        """The names `node` binds in its own namespace (computed once per function)."""
        found = self.frames.get(node)
        if found is None:
            found = self.frames[node] = frame_of(node, self.imports.module, self.imports.is_package)
        return found

    def _path(self) -> Iterator[tuple[ast.AST, ast.AST]]:
        """(ancestor, its child on the way down to the current node), innermost first."""
        child = self.current
        for node in reversed(self.ancestors):
            if child is not None:
                yield node, child
            child = node

    def _frames_here(self) -> Iterator[Frame]:
        """The frames of the functions whose body holds the current node, innermost first."""
        for node, child in self._path():
            if isinstance(node, _CALLABLES) and _in_body(node, child):
                yield self.frame(node)

    def _frames_of_current(self) -> tuple[Frame, ...]:
        """The frames around the current node, innermost first, computed once per node
        (several rules ask about the same node)."""
        node, depth, frames = self._frames_for
        if node is not self.current or depth != len(self.ancestors) or node is None:
            frames = (*self._frames_here(), self.module_frame)
            self._frames_for = (self.current, len(self.ancestors), frames)
        return frames

    def _binding(self, head: str) -> str | None:
        for frame in self._frames_of_current():
            if head in frame.imports:
                return frame.imports[head]
            if head in frame.names:
                return None
        if head in _BUILTINS:
            return head
        # Imported inside some function the walk is not in (e.g. asked by a project rule).
        return self.imports.bindings.get(head)

    def module_value(self, name: str) -> ast.expr | None:
        """The value a module-level statement assigns to `name` (the first one), if any."""
        return self.module_values.get(name)

    def qualified_name(self, expr: ast.AST) -> str | None:
        """Qualified name of a name / attribute chain rooted in an import or a builtin, as
        seen from the current node: parameters and other local names shadow imports and
        builtins and give None, as do names bound by no import."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head not in self.imports.bindings and head not in _BUILTINS:
            return None  # no import anywhere in the file binds it: a local or unknown name
        bound = self._binding(head)
        if bound is None:
            return None
        return f"{bound}.{rest}" if rest else bound

    def call_name(self, call: ast.Call) -> str | None:
        """The qualified name of the called function, else its dotted text (`self.x.get`)."""
        return self.qualified_name(call.func) or dotted_name(call.func)

    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    def enclosing_function(self) -> FunctionNode | None:
        """The `def` / `async def` whose body holds the current node; None at module level
        and in the body of a lambda or a class."""
        for node, child in self._path():
            if isinstance(node, (*_CALLABLES, ast.ClassDef)) and _in_body(node, child):
                return node if isinstance(node, FunctionNode) else None
        return None

    def in_async_function(self) -> bool:
        """True when the current node runs as part of an `async def` call: in its body, in a
        class body or comprehension there, or in the decorators and defaults of a nested def
        (which run when the `def` statement does) — not in the body of a nested def or lambda."""
        for node, child in self._path():
            if isinstance(node, _CALLABLES) and _in_body(node, child):
                return isinstance(node, ast.AsyncFunctionDef)
        return False

    def enclosing_class(self) -> ast.ClassDef | None:
        """The class whose body (methods included) holds the current node."""
        for node, child in self._path():
            if isinstance(node, ast.ClassDef) and _in_body(node, child):
                return node
        return None

    def in_loop(self) -> bool:
        """True when the current node runs once per iteration of a loop of its own frame:
        a `for` body or target, a `while` test or body, a comprehension's element, conditions
        and inner iterables. Not a `for` iterable, a loop's `else`, nor the body of a def or
        lambda defined in a loop (it runs when called)."""
        first_iterable = False
        for node, child in self._path():
            if isinstance(node, ast.comprehension):
                first_iterable = child is node.iter
                continue
            if isinstance(node, _COMPREHENSIONS):
                if not (first_iterable and child is node.generators[0]):
                    return True
            elif isinstance(node, ast.For | ast.AsyncFor):
                if child is node.target or _contains(node.body, child):
                    return True
            elif isinstance(node, ast.While):
                if not _contains(node.orelse, child):
                    return True
            elif isinstance(node, _CALLABLES) and _in_body(node, child):
                return False
            first_iterable = False
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
