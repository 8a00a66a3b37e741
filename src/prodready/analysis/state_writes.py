"""Writes of a row's state column in one function, and what guards them.

A *state write* is `obj.status = X` on an object the function loaded (not one it built), or an
ORM / Core UPDATE that sets a state column (`update(Order).where(...).values(status=X)`,
`session.query(Order).filter(...).update({...})`, Tortoise `Order.filter(...).update(...)`).
Its *guard* says why a concurrent writer cannot be silently overwritten:

- "status-check": the current value is compared before the write (`if obj.status == ...`,
  `in (...)`, `match obj.status`, a `where(Order.status == ...)` / `filter_by(status=...)`);
- "conditional-update": an UPDATE whose WHERE names the state column;
- "row-lock": the object was loaded with `with_for_update()` (or by a `*_for_update` /
  `*lock*` loader);
- "" when nothing guards it. Version columns are the schema's business (see the rules).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.reaching import Binding, Bindings
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body, iter_subtree

STATE_FIELDS = frozenset({"status", "state", "stage", "phase"})
_LOADERS = frozenset({"get", "get_or_none", "first", "one", "scalar", "select", "query"})
_WHERE = frozenset({"where", "filter", "filter_by", "exclude"})
_FACTORIES = ("create", "make_", "build", "new_", "insert", "register")
_TEXT_MAX = 40


@dataclass(frozen=True, slots=True)
class StateWrite:
    """target: `sub.status` as written, or `update(Order).status`; model: the row's class as
    written (`Order`, `models.Order`) when the code says it, "" when unknown; new: the value
    as written; checked: the values the current state is compared with before the write;
    constructed: the object was built in this function (a new row's first state); core: an
    UPDATE statement; setter: the new value is a parameter (a generic
    `set_status(obj, status)`: its callers pick the move)."""

    node: ast.AST
    target: str
    receiver: str
    model: str
    field: str
    new: str
    checked: tuple[str, ...]
    guard: str
    constructed: bool = False
    core: bool = False
    setter: bool = False

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 0)

    @property
    def transition(self) -> str:
        """`'pending' → 'paid'`, `any → 'paid'` when the current value is not checked."""
        before = " | ".join(self.checked) if self.checked else "any"
        return f"{before} → {self.new}"


def _text(node: ast.AST) -> str:
    written = " ".join(ast.unparse(node).split())
    return written if len(written) <= _TEXT_MAX else written[: _TEXT_MAX - 1] + "…"


def _class_name(expr: ast.AST | None) -> str:
    """The class as written (`Order`, `models.Order`) for `Order`, `models.Order`,
    `Optional[Order]`, `Order | None`, `list[Order]`, `"Order"`; "" for anything not shaped
    like a class name."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            expr = ast.parse(expr.value, mode="eval").body
        except SyntaxError:
            return ""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        sides = [s for s in (expr.left, expr.right) if not _is_none(s)]
        return _class_name(sides[0]) if len(sides) == 1 else ""
    if isinstance(expr, ast.Subscript):
        return _class_name(expr.slice)
    name = (dotted_name(expr) if expr is not None else None) or ""
    last = name.rsplit(".", 1)[-1]
    return name if last[:1].isupper() and not last.isupper() else ""


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


@dataclass(frozen=True, slots=True)
class _Origin:
    model: str = ""
    constructed: bool = False
    loaded: bool = False
    locked: bool = False


@dataclass(frozen=True, slots=True)
class _Scope:
    """The function's bindings, and what the class's own methods return (`self._get(...)`)."""

    bindings: Bindings
    returns: Mapping[str, str]


def _origin(value: ast.expr | None, scope: _Scope, at: ast.AST, depth: int = 0) -> _Origin:
    """What a value expression holds: a row of which model, built here, loaded, locked."""
    bindings = scope.bindings
    if value is None or depth > 3:
        return _Origin()
    model, loaded, locked = "", False, False
    call = value.value if isinstance(value, ast.Await) else value
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name | ast.Attribute):
        built = _class_name(call.func)
        if built and isinstance(call.func, ast.Name) and not built.endswith(("Error", "Id")):
            return _Origin(built, constructed=True)
        if _called(call).lstrip("_").startswith(_FACTORIES):
            return _Origin(constructed=True)  # `await self._create_payment(...)`: a new row
    for node in iter_subtree(value, same_scope=True):
        if isinstance(node, ast.Await):
            loaded = True
        if isinstance(node, ast.Call):
            name = _called(node)
            lowered = name.lower()
            if "for_update" in lowered or "lock" in lowered:
                locked = True
            if any(k.arg == "with_for_update" for k in node.keywords):
                locked = True
            if _is_self_call(node) and name in scope.returns:
                model = model or scope.returns[name]
                loaded = True
            elif name in _LOADERS and node.args:
                model = model or _class_name(node.args[0])
                loaded = True
            elif isinstance(node.func, ast.Attribute) and name in (_LOADERS | _WHERE):
                model = model or _class_name(node.func.value)
        elif isinstance(node, ast.Name) and node is not value and depth < 3:
            inner = bindings.reaching(node.id, at)
            if inner is not None and inner.kind != "param":
                found = _origin(inner.value, scope, inner.statement, depth + 1)
                if not found.constructed:  # `session` from `async with Session() as session`
                    model = model or found.model
                locked = locked or found.locked
                loaded = loaded or found.loaded
    if isinstance(value, ast.Name):
        inner = bindings.reaching(value.id, at)
        if inner is not None:
            return _binding_origin(inner, scope, depth + 1)
    return _Origin(model, loaded=loaded, locked=locked)


def _is_self_call(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and getattr(func.value, "id", None) in ("self", "cls")


def _binding_origin(binding: Binding, scope: _Scope, depth: int = 0) -> _Origin:
    if binding.kind == "param":
        return _Origin(_class_name(binding.value), loaded=True)
    found = _origin(binding.value, scope, binding.statement, depth)
    if binding.kind == "for" and found.constructed:
        return _Origin(found.model, loaded=True)
    return found


def _checks(
    function: FunctionNode, before: int, targets: frozenset[str], field: str
) -> tuple[bool, tuple[str, ...]]:
    """(the current value of a target is checked before line `before`, the values it is
    compared with as written)."""
    checked = False
    values: list[str] = []
    for node in iter_body(function):
        if getattr(node, "lineno", before) > before:
            continue
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(dotted_name(o) in targets for o in operands):
                checked = True
                values += [_values(o) for o in operands if dotted_name(o) not in targets]
        elif isinstance(node, ast.Match) and dotted_name(node.subject) in targets:
            checked = True
        elif isinstance(node, ast.Call) and _called(node) in (_WHERE | {"get", "get_or_none"}):
            for item in node.keywords:
                if item.arg == field:
                    checked = True
                    values.append(_values(item.value))
        elif isinstance(node, ast.If | ast.While | ast.Assert | ast.IfExp):
            checked = checked or _predicate(node.test, targets)
    return checked, tuple(dict.fromkeys(v for v in values if v))


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _values(node: ast.expr) -> str:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return " | ".join(_text(e) for e in node.elts)
    return _text(node)


def _predicate(test: ast.expr, targets: frozenset[str]) -> bool:
    """`obj.is_active`, `obj.can_renew()`, `obj.status_is(...)`: a state predicate."""
    receivers = {t.rsplit(".", 1)[0] for t in targets}
    for node in iter_subtree(test, same_scope=True):
        if (
            isinstance(node, ast.Attribute)
            and dotted_name(node.value) in receivers
            and (node.attr.startswith(("is_", "can_", "has_")) or "status" in node.attr)
        ):
            return True
    return False


def _value_allowed(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    return isinstance(value, ast.Name | ast.Attribute | ast.Call | ast.JoinedStr)


_CHECKERS = ("check", "validate", "ensure", "assert", "verify", "can_", "is_", "require")


def _helper_guard(function: FunctionNode, before: int, receiver: str) -> str:
    """A call before the write that is handed the row and checks or locks it:
    `_check_redeemable(coupon)`, `await db.refresh(coupon, with_for_update=True)`,
    `await lock_order(order)`."""
    for node in iter_body(function):
        if not isinstance(node, ast.Call) or getattr(node, "lineno", before) >= before:
            continue
        if not any(
            dotted_name(a) == receiver for a in (*node.args, *(k.value for k in node.keywords))
        ):
            continue
        name = _called(node).lower().lstrip("_")
        if any(k.arg == "with_for_update" for k in node.keywords) or "lock" in name:
            return "row-lock"
        if name.startswith(_CHECKERS):
            return "status-check"
    return ""


def _from_parameter(value: ast.expr, at: ast.AST, bindings: Bindings, depth: int = 0) -> bool:
    """The value is what a caller passed: a parameter, an attribute of one
    (`request.status.value`), or a local assigned one of those."""
    while isinstance(value, ast.Attribute):
        value = value.value
    if not isinstance(value, ast.Name) or depth > 2:
        return False
    binding = bindings.reaching(value.id, at)
    if binding is None:
        return False
    if binding.kind == "param":
        return True
    return (
        binding.kind == "assign"
        and binding.value is not None
        and isinstance(binding.value, ast.Name | ast.Attribute)
        and _from_parameter(binding.value, binding.statement, bindings, depth + 1)
    )


def _assignments(
    function: FunctionNode, scope: _Scope, fields: frozenset[str], any_value: bool = False
) -> Iterator[StateWrite]:
    bindings = scope.bindings
    for node in iter_body(function):
        if not isinstance(node, ast.Assign) or not (any_value or _value_allowed(node.value)):
            continue
        for target in node.targets:
            if not isinstance(target, ast.Attribute) or target.attr not in fields:
                continue
            receiver = dotted_name(target.value)
            if receiver is None or receiver.split(".", 1)[0] in ("self", "cls"):
                continue
            head = receiver.split(".", 1)[0]
            binding = bindings.reaching(head, node)
            if binding is None:
                continue  # a global or a closure's name: not this function's row
            origin = _binding_origin(binding, scope) if head == receiver else _Origin()
            targets = {f"{receiver}.{target.attr}"}
            if origin.model:
                targets.add(f"{origin.model}.{target.attr}")
            checked, values = _checks(function, node.lineno, frozenset(targets), target.attr)
            helper = _helper_guard(function, node.lineno, receiver)
            if checked or helper == "status-check":
                guard = "status-check"
            else:
                guard = "row-lock" if origin.locked or helper == "row-lock" else ""
            yield StateWrite(
                node=node,
                target=f"{receiver}.{target.attr}",
                receiver=receiver,
                model=origin.model,
                field=target.attr,
                new=_text(node.value),
                checked=values,
                guard=guard,
                constructed=origin.constructed,
                setter=_from_parameter(node.value, node, bindings),
            )


def _chain(call: ast.Call) -> tuple[list[ast.Call], ast.expr]:
    """The calls of a method chain, outermost first (`a(...).b(...).c(...)`), and what the
    chain starts from (`Order` of `Order.filter(...).update(...)`)."""
    found: list[ast.Call] = []
    node: ast.expr = call
    while isinstance(node, ast.Call):
        found.append(node)
        func = node.func
        node = func.value if isinstance(func, ast.Attribute) else func
        while isinstance(node, ast.Attribute) and not isinstance(node.value, ast.Call | ast.Name):
            node = node.value
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call):
            node = node.value
    return found, node


def _set_values(call: ast.Call, fields: frozenset[str]) -> Iterator[tuple[str, ast.expr]]:
    for item in call.keywords:
        if item.arg in fields:
            yield item.arg, item.value
    for arg in call.args:
        if isinstance(arg, ast.Dict):
            for key, value in zip(arg.keys, arg.values, strict=True):
                name = key.value if isinstance(key, ast.Constant) else getattr(key, "attr", None)
                if isinstance(name, str) and name in fields:
                    yield name, value


def _where_checks(wheres: list[ast.Call], column: str, field: str) -> tuple[bool, tuple[str, ...]]:
    """(the WHERE clauses name the state column, the values they compare it with)."""
    found = False
    values: list[str] = []
    for where in wheres:
        for inner in iter_subtree(where, same_scope=True):
            if isinstance(inner, ast.keyword) and inner.arg == field:
                found = True
                values.append(_values(inner.value))
            elif isinstance(inner, ast.Compare):
                operands = [inner.left, *inner.comparators]
                if any(dotted_name(o) == column for o in operands):
                    found = True
                    values += [_values(o) for o in operands if dotted_name(o) != column]
            elif dotted_name(inner) == column:
                found = True
    return found, tuple(dict.fromkeys(values))


def _updates(
    function: FunctionNode, fields: frozenset[str], bindings: Bindings
) -> Iterator[StateWrite]:
    for node in iter_body(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in ("values", "update"):
            continue
        chain, base = _chain(node)
        if isinstance(base, ast.Name):  # `stmt = update(Order).where(...)`, `stmt.values(...)`
            built = bindings.reaching(base.id, node)
            if built is not None and isinstance(built.value, ast.Call):
                more, base = _chain(built.value)
                chain = [*chain, *more]
        names = [_called(c) for c in chain]
        if "insert" in names or "on_conflict_do_update" in names:
            continue
        model = ""
        if node.func.attr == "values" and "update" in names:
            update = chain[names.index("update")]
            model = _class_name(update.args[0]) if update.args else ""
        elif node.func.attr == "update" and any(n in _WHERE for n in names[1:]):
            root = chain[-1]
            rooted = names[-1] in ("query", "select") and root.args
            model = _class_name(root.args[0] if rooted else base)
        if not model:
            continue
        wheres = [c for c, n in zip(chain, names, strict=True) if n in _WHERE]
        for field, value in _set_values(node, fields):
            conditional, checked = _where_checks(wheres, f"{model}.{field}", field)
            yield StateWrite(
                node=node,
                target=f"update({model}).{field}",
                receiver="",
                model=model,
                field=field,
                new=_text(value),
                checked=checked,
                guard="conditional-update" if conditional else "",
                core=True,
            )


def state_writes(
    function: FunctionNode,
    extra_fields: frozenset[str] = frozenset(),
    methods: Mapping[str, FunctionNode] | None = None,
    *,
    any_value: bool = False,
) -> list[StateWrite]:
    """Every write of a state column in `function`'s own body, in source order. `methods`:
    the enclosing class's methods, whose return annotations type `self._load(...)`;
    `any_value`: also writes of values read from a container (`= data["status"]`)."""
    fields = STATE_FIELDS | extra_fields
    returns = {n: _class_name(m.returns) for n, m in (methods or {}).items() if m.returns}
    scope = _Scope(Bindings.of(function), {n: r for n, r in returns.items() if r})
    found = [
        *_assignments(function, scope, fields, any_value),
        *_updates(function, fields, scope.bindings),
    ]
    return sorted(found, key=lambda write: write.line)
