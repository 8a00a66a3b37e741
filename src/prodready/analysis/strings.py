"""Strings built by code: what an f-string, `%` formatting, `.format()` or `+` concatenation
spells out and which values it interpolates, and whether a value can only be text the program
itself wrote (a constant, a number, an allowlist entry). Syntactic and conservative: a value
it cannot see through is not constant."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.walk import iter_body

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
ModuleValue = Callable[[str], ast.expr | None]
_NUMERIC_BUILTINS = frozenset({"int", "float", "len", "bool", "round", "abs", "min", "max"})
_ESCAPERS = frozenset({"quote", "quote_ident", "quote_identifier", "escape_identifier"})
_ADDERS = frozenset({"append", "extend", "add", "insert", "update"})
# Schema defined in code: `Model.__tablename__`, `Base.metadata.tables`, `Model.__table__`.
_SCHEMA = frozenset({"__tablename__", "__table__", "metadata", "sorted_tables"})
_MAX_DEPTH = 40


@dataclass(frozen=True, slots=True)
class BuiltString:
    """`how`: "f-string", "% formatting", ".format()", "concatenation", or "" for a literal;
    `text`: the literal parts, each interpolated value shown as `{}`; `values`: those values."""

    how: str
    text: str
    values: tuple[ast.expr, ...] = ()


def _no_value(name: str) -> ast.expr | None:
    return None


def _operands(node: ast.BinOp) -> list[ast.expr]:
    """`a + b + c` -> [a, b, c] (iterative: long chains cannot overflow the stack)."""
    operands: list[ast.expr] = []
    current: ast.expr = node
    while isinstance(current, ast.BinOp) and isinstance(current.op, type(node.op)):
        operands.append(current.right)
        current = current.left
    operands.append(current)
    return operands[::-1]


def built_string(expr: ast.AST, resolve: ModuleValue = _no_value) -> BuiltString | None:
    """The string `expr` builds, or None when it is not a string literal or built from one.
    `resolve(name)` gives the value of a name used as a template (`QUERY.format(...)`,
    `BASE + where`); only string constants are taken from it."""
    if isinstance(expr, ast.Name):
        value = resolve(expr.id)
        return built_string(value) if isinstance(value, ast.Constant) else None
    if isinstance(expr, ast.Constant):
        return BuiltString("", expr.value) if isinstance(expr.value, str) else None
    if isinstance(expr, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in expr.values]
        values = tuple(v.value for v in expr.values if isinstance(v, ast.FormattedValue))
        return BuiltString("f-string" if values else "", "".join(map(str, parts)), values)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        template = built_string(expr.left, resolve)
        if template is None:
            return None
        right = expr.right
        items = right.elts if isinstance(right, ast.Tuple) else [right]
        if isinstance(right, ast.Dict):
            items = list(right.values)
        return BuiltString("% formatting", template.text, (*template.values, *items))
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _concatenation(_operands(expr), resolve)
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
    ):
        template = built_string(expr.func.value, resolve)
        if template is None:
            return None
        values = (*expr.args, *(k.value for k in expr.keywords))
        return BuiltString(".format()", template.text, (*template.values, *values))
    return None


def _concatenation(operands: list[ast.expr], resolve: ModuleValue) -> BuiltString | None:
    texts: list[str] = []
    values: list[ast.expr] = []
    hows: list[str] = []
    for operand in operands:
        part = built_string(operand, resolve)
        if part is None:
            texts.append("{}")
            values.append(operand)
            hows.append("concatenation")
        else:
            texts.append(part.text)
            values.extend(part.values)
            hows.append(part.how)
    if len(values) == len(operands):
        return None  # no string literal anywhere: not a string being built
    how = "concatenation" if "concatenation" in hows else next((h for h in hows if h), "")
    return BuiltString(how, "".join(texts), tuple(values))


def string_held(
    expr: ast.expr, function: FunctionNode | None, module_value: ModuleValue = _no_value
) -> BuiltString | None:
    """The string `expr` builds where it is written or, for a local variable, the string its
    assignments in `function` build together (`q = "SELECT ..."`, `q += f" AND x = {x}"`),
    one step back. Names used as templates resolve to a local's only value or a module value."""

    def resolve(name: str) -> ast.expr | None:
        values = local_values(name, function) if function is not None else []
        return values[0] if values and len(values) == 1 else module_value(name)

    built = built_string(expr, resolve)
    if built is not None or not isinstance(expr, ast.Name) or function is None:
        return built
    parts = [built_string(value, resolve) for value in local_values(expr.id, function) or ()]
    found = [part for part in parts if part is not None]
    if not found:
        return None
    how = next((part.how for part in found if part.how), "")
    values = tuple(value for part in found for value in part.values)
    return BuiltString(how, "".join(part.text for part in found), values)


def _is_upper(name: str) -> bool:
    """`TABLE`, `ALLOWED_COLUMNS`, `Q1`: the naming convention of a module constant."""
    return any(c.isalpha() for c in name) and name == name.upper()


def local_values(name: str, function: FunctionNode) -> list[ast.expr] | None:
    """The values the body of `function` gives its local `name`: assignments (`=`, `+=`,
    annotated, `:=`), a `for` loop's iterable, arguments of `name.append(...)` / `.extend` /
    `.add`; None when `name` is a parameter, is declared global / nonlocal, or is bound in a
    way that shows no value (tuple unpacking, `with ... as`, `except ... as`, an import)."""
    arguments = function.args
    every = (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    if any(a.arg == name for a in (*every, arguments.vararg, arguments.kwarg) if a is not None):
        return None
    values: list[ast.expr] = []
    for node in _binders(function).get(name, ()):
        found = _binding_values(node, name)
        if found is None:
            return None
        values.extend(found)
    return values


_BINDERS_CACHE = "_prodready_binders"


def _binders(function: FunctionNode) -> dict[str, tuple[ast.AST, ...]]:
    """The nodes of the body that may bind each name, in source order (kept on the function
    node: rules ask for the values of many names of the same function)."""
    cached: dict[str, tuple[ast.AST, ...]] | None = getattr(function, _BINDERS_CACHE, None)
    if cached is None:
        index: dict[str, list[ast.AST]] = {}
        for node in iter_body(function):
            for name in _names_bound(node):
                index.setdefault(name, []).append(node)
        cached = {name: tuple(nodes) for name, nodes in index.items()}
        setattr(function, _BINDERS_CACHE, cached)
    return cached


def _names_bound(node: ast.AST) -> set[str]:
    """A superset of the names `_binding_values` may find `node` binding."""
    parts: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        parts = list(node.targets)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr | ast.For | ast.AsyncFor):
        parts = [node.target]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        parts = [node.func.value] if node.func.attr in _ADDERS else []
    elif isinstance(node, ast.withitem):
        parts = [node.optional_vars] if node.optional_vars is not None else []
    elif isinstance(node, ast.ExceptHandler):
        return {node.name} if node.name else set()
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    elif isinstance(node, ast.Global | ast.Nonlocal):
        return set(node.names)
    elif isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    return {inner.id for part in parts for inner in ast.walk(part) if isinstance(inner, ast.Name)}


def _binding_values(node: ast.AST, name: str) -> list[ast.expr] | None:
    """What `node` binds to `name`: [] when it does not bind it, None when unknowable."""
    if isinstance(node, ast.Assign):
        if any(_is_name(t, name) for t in node.targets):
            return [node.value]
        return None if any(_unpacks(t, name) for t in node.targets) else []
    if isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        if _is_name(node.target, name):
            return [node.value] if node.value is not None else []
        return []
    if isinstance(node, ast.For | ast.AsyncFor):
        return [node.iter] if _is_name(node.target, name) else _none_if(_unpacks(node.target, name))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        adds = node.func.attr in _ADDERS and _is_name(node.func.value, name)
        return list(node.args[-1:]) if adds else []
    if isinstance(node, ast.withitem):
        return _none_if(node.optional_vars is not None and _mentions(node.optional_vars, name))
    if isinstance(node, ast.ExceptHandler):
        return _none_if(node.name == name)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return _none_if(node.name == name)
    if isinstance(node, ast.Global | ast.Nonlocal):
        return _none_if(name in node.names)
    if isinstance(node, ast.Import | ast.ImportFrom):
        bound = [(a.asname or a.name).split(".")[0] for a in node.names]
        return _none_if(name in bound)
    return []


def _none_if(condition: bool) -> list[ast.expr] | None:
    return None if condition else []


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _unpacks(target: ast.AST, name: str) -> bool:
    return isinstance(target, ast.Tuple | ast.List | ast.Starred) and _mentions(target, name)


def _mentions(node: ast.AST, name: str) -> bool:
    return any(_is_name(inner, name) for inner in ast.walk(node))


@dataclass(slots=True)
class ConstantText:
    """Answers "can this value only be text the program wrote itself?" for values seen in
    `function` (None: at module level). Constant: literals; names in UPPER_CASE and
    attributes ending in one (`TABLE`, `Status.PAID`); schema defined in code
    (`Model.__tablename__`, anything read from `Base.metadata` or `__table__`); an entry of an
    UPPER_CASE mapping (`COLUMNS[key]`, `COLUMNS.get(key, "id")`); numbers (`int(x)`,
    `len(xs)`); identifiers escaped by a `quote` function; strings, joins, conditionals,
    lists and comprehensions made only of those; a local or module-level name whose every
    value is one of those."""

    function: FunctionNode | None
    module_value: ModuleValue = _no_value
    _safe_names: set[str] = field(default_factory=set)

    def of(self, expr: ast.AST, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH:
            return False
        inner = depth + 1
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.Name):
            return self._name(expr.id, inner)
        if isinstance(expr, ast.Attribute):
            chain = (dotted_name(expr) or expr.attr).split(".")
            if _is_upper(expr.attr) or _SCHEMA.intersection(chain):
                return True
            return expr.attr in ("value", "name") and self.of(expr.value, inner)
        if isinstance(expr, ast.Subscript):
            return self._allowlist(expr.value) or self.of(expr.value, inner)
        if isinstance(expr, ast.Call):
            return self._call(expr, inner)
        if isinstance(expr, ast.JoinedStr | ast.FormattedValue):
            return all(self.of(v, inner) for v in ast.iter_child_nodes(expr))
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.Mult):  # `["?"] * n`, `"%s, " * n`
                return any(self.of(side, inner) for side in (expr.left, expr.right))
            return all(self.of(operand, inner) for operand in _operands(expr))
        if isinstance(expr, ast.IfExp):
            return self.of(expr.body, inner) and self.of(expr.orelse, inner)
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            return all(self.of(element, inner) for element in expr.elts)
        if isinstance(expr, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self._comprehension(expr, inner)
        return False

    def _name(self, name: str, depth: int) -> bool:
        if name in self._safe_names:
            return True
        values = local_values(name, self.function) if self.function is not None else []
        if values is None:
            return False
        if values:
            return all(self.of(value, depth) for value in values)
        if _is_upper(name):  # a module constant, or one imported from another module
            return True
        value = self.module_value(name)
        return value is not None and ConstantText(None, self.module_value).of(value, depth)

    def _allowlist(self, mapping: ast.expr) -> bool:
        name = dotted_name(mapping)
        return name is not None and _is_upper(name.rsplit(".", 1)[-1])

    def _call(self, call: ast.Call, depth: int) -> bool:
        func = call.func
        name = dotted_name(func) or ""
        if name in _NUMERIC_BUILTINS or name.rsplit(".", 1)[-1].lstrip("_") in _ESCAPERS:
            return True
        if name == "str":
            return all(self.of(argument, depth) for argument in call.args)
        if not isinstance(func, ast.Attribute):
            return False
        if func.attr == "get" and self._allowlist(func.value):
            return all(self.of(default, depth) for default in call.args[1:])
        arguments = (*call.args, *(k.value for k in call.keywords))
        return self.of(func.value, depth) and all(self.of(a, depth) for a in arguments)

    def _comprehension(
        self, node: ast.ListComp | ast.GeneratorExp | ast.SetComp, depth: int
    ) -> bool:
        added = set(self._safe_target_names(node.generators, depth)) - self._safe_names
        self._safe_names |= added
        try:
            return self.of(node.elt, depth)
        finally:
            self._safe_names -= added

    def _safe_target_names(self, generators: list[ast.comprehension], depth: int) -> Iterator[str]:
        """Names a comprehension binds that can only hold constants: every target of an
        iterable of constants, the index of `range(...)` / `enumerate(...)`."""
        for generator in generators:
            target, iterable = generator.target, generator.iter
            called = dotted_name(iterable.func) if isinstance(iterable, ast.Call) else None
            if called == "range":
                yield from _names(target)
                continue
            if isinstance(iterable, ast.Call) and called == "enumerate" and iterable.args:
                if isinstance(target, ast.Tuple) and len(target.elts) == 2:
                    yield from _names(target.elts[0])
                    target = target.elts[1]
                iterable = iterable.args[0]
            if self.of(iterable, depth):
                yield from _names(target)


def _names(target: ast.expr) -> Iterator[str]:
    return (node.id for node in ast.walk(target) if isinstance(node, ast.Name))
