"""Where one value of an incoming event goes: a small, path-insensitive taint walk through
the project's functions, starting at a handler or route.

A `Source` names the value: the attributes that read it (`telegram_payment_charge_id`), the
words that name it once it sits in another object (`dto.charge_id`, `data["charge"]`). In
each function the walk keeps the names that hold the value itself (*direct*: `charge_id =
sp.telegram_payment_charge_id`, `f"stars:{charge_id}"`, `payload.split(":")[1]`) and the
names of objects that carry it (*holders*: `message.successful_payment`, a DTO built with it,
`json.loads(payload)`), follows calls into project functions by mapping arguments to
parameters, and records the *uses* that matter for deduplication: the value written to a
column, looked up, inserted with ON CONFLICT, guarded by an IntegrityError handler or a Redis
`SET NX`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import SPAWNERS, Body, Code
from prodready.analysis.project.writes import capitalised
from prodready.analysis.walk import iter_body

_ANY = frozenset({"*"})  # a holder whose every key and attribute derives from the value
_PARSERS = ("loads", "parse_qs", "parse_qsl", "b64decode", "urlsafe_b64decode", "unquote")
_KEEPS = frozenset({"str", "int", "bytes", "repr", "format", "hash"})
_LOOKUPS = frozenset(
    {
        "filter_by",
        "filter",
        "get",
        "get_or_none",
        "exists",
        "find_one",
        "count_documents",
        "get_or_create",
        "update_or_create",
        "first",
        "where",
    }
)
_UPSERT = re.compile(r"on\s+conflict|or\s+ignore|insert\s+ignore|on\s+duplicate\s+key", re.I)
_SQL_COLUMN = re.compile(r"(\w+)\s*(?:=|==)\s*(?:\$\d+|\?|%s|%\(\w+\)s|:\w+)", re.I)
_INSERT_INTO = re.compile(r"insert\s+(?:or\s+\w+\s+)?into\s+[\"`]?(\w+)", re.I)
_DUPLICATE_ERRORS = ("IntegrityError", "UniqueViolation", "DuplicateKeyError")
STATUS_WORDS = re.compile(r"(^|_)(status|state|is_paid|paid|processed|completed|confirmed)($|_)")
_MAX_VISITS = 300


@dataclass(frozen=True, slots=True)
class Source:
    attributes: frozenset[str]
    words: tuple[str, ...]


CHARGE = Source(
    frozenset({"telegram_payment_charge_id", "provider_payment_charge_id"}), ("charge",)
)
PAYLOAD = Source(frozenset({"invoice_payload"}), ("payload",))


@dataclass(frozen=True, slots=True)
class Use:
    """kind: "write" (to `column` of `model`), "lookup" (by `column`), "key" (a primary-key
    `get`), "upsert", "duplicate-guard" (an IntegrityError handler), "nx" (Redis SET NX),
    "escape" (passed to `column`, a call the call graph does not follow);
    locked: the function also locks (`with_for_update`, `FOR UPDATE`, a lock);
    status: the function also compares a status."""

    kind: str
    function: str
    path: str
    line: int
    model: str = ""
    column: str = ""
    locked: bool = False
    status: bool = False

    def at(self, caller: str = "") -> str:
        """ "in `seen`, handlers.py:12" (the function named when it is not `caller`)."""
        where = f"{self.path}:{self.line}"
        return where if self.function == caller else f"in `{self.short}`, {where}"

    @property
    def short(self) -> str:
        return self.function.rsplit(".", 1)[-1]


@dataclass(slots=True)
class _Taint:
    direct: set[str] = field(default_factory=set)
    holders: dict[str, frozenset[str]] = field(default_factory=dict)

    def grows(self, other: _Taint) -> bool:
        before = (len(self.direct), dict(self.holders))
        self.direct |= other.direct
        for name, keys in other.holders.items():
            self.holders[name] = self.holders.get(name, frozenset()) | keys
        return before != (len(self.direct), self.holders)


@dataclass(slots=True)
class _Function:
    source: Source
    body: Body
    taint: _Taint

    def named(self, key: str, keys: frozenset[str]) -> bool:
        lowered = key.lower()
        return "*" in keys or key in keys or any(w in lowered for w in self.source.words)

    def carries(self, expr: ast.AST | None) -> bool:
        if expr is None:
            return False
        if isinstance(expr, ast.Await | ast.Starred | ast.FormattedValue):
            return self.carries(expr.value)
        if isinstance(expr, ast.Name):
            return expr.id in self.taint.direct
        if isinstance(expr, ast.Attribute):
            if expr.attr in self.source.attributes:
                return not capitalised(expr.value)  # `Payment.charge_id` is a column
            keys = self._holder_keys(expr.value)
            return keys is not None and self.named(expr.attr, keys)
        if isinstance(expr, ast.Subscript):
            keys = self._holder_keys(expr.value)
            key = expr.slice.value if isinstance(expr.slice, ast.Constant) else None
            if keys is not None and isinstance(key, str) and self.named(key, keys):
                return True
            return self.carries(expr.value)
        if isinstance(expr, ast.JoinedStr):
            return any(self.carries(v) for v in expr.values)
        if isinstance(expr, ast.BinOp):
            return self.carries(expr.left) or self.carries(expr.right)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and self.carries(func.value):
                return True  # charge_id.strip(), payload.split(":")
            name = dotted_name(func) or ""
            return name in _KEEPS and any(self.carries(a) for a in expr.args)
        return False

    def _holder_keys(self, expr: ast.AST) -> frozenset[str] | None:
        if isinstance(expr, ast.Name):
            return self.taint.holders.get(expr.id)
        if isinstance(expr, ast.Attribute) and expr.attr == "successful_payment":
            return frozenset()
        return None

    def holder(self, expr: ast.AST) -> frozenset[str] | None:
        """The keys that carry the value when `expr` builds or names an object holding it."""
        if isinstance(expr, ast.Await):
            return self.holder(expr.value)
        keys = self._holder_keys(expr)
        if keys is not None:
            return keys
        if isinstance(expr, ast.Dict):
            found = {
                k.value
                for k, v in zip(expr.keys, expr.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and self.carries(v)
            }
            return frozenset(found) if found else None
        if isinstance(expr, ast.Call):
            name = (dotted_name(expr.func) or "").rsplit(".", 1)[-1]
            if name in _PARSERS and any(self.carries(a) for a in expr.args):
                return _ANY
            if isinstance(expr.func, ast.Attribute):
                inner = self.holder(expr.func.value)  # stmt.on_conflict_do_nothing(...)
                if inner is not None:
                    return inner
            found = {k.arg for k in expr.keywords if k.arg and self.carries(k.value)}
            for argument in (*expr.args, *(k.value for k in expr.keywords)):
                inner = self.holder(argument)
                found |= inner or set()
            if found or any(self.carries(a) for a in expr.args):
                return frozenset(found)
        return None

    def assign(self, targets: list[ast.expr], value: ast.AST) -> None:
        """Names assigned the value (or a holder) hold it from then on: the walk is
        path-insensitive, so a later assignment adds and never removes."""
        direct = self.carries(value)
        keys = None if direct else self.holder(value)
        for target in targets:
            for node in ast.walk(target):
                if not isinstance(node, ast.Name):
                    continue
                if direct:
                    self.taint.direct.add(node.id)
                elif keys is not None:
                    self.taint.holders[node.id] = self.taint.holders.get(node.id, keys) | keys


def _bind(fn: _Function) -> None:
    """Propagate the value through the function's assignments, in order, twice (loops)."""
    for _ in range(2):
        for node in iter_body(fn.body.node):
            if isinstance(node, ast.Assign):
                fn.assign(node.targets, node.value)
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                fn.assign([node.target], node.value)
            elif isinstance(node, ast.For | ast.AsyncFor):
                fn.assign([node.target], node.iter)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                fn.assign([node.optional_vars], node.context_expr)


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _calls_to(fn: _Function, callee: Body) -> Iterator[ast.Call]:
    """The calls of `callee` in `fn`, also those made through a task runner:
    `asyncio.to_thread(f, a, b)` reads as `f(a, b)`."""
    wanted = {callee.short}
    if callee.short == "__init__":
        wanted = {callee.name.rsplit(".", 2)[-2]}
    for node in iter_body(fn.body.node):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else dotted_name(func)
        if called in wanted:
            yield node
        elif called in SPAWNERS:
            for index, argument in enumerate(node.args):
                if (dotted_name(argument) or "").rsplit(".", 1)[-1] in wanted:
                    yield ast.Call(argument, node.args[index + 1 :], node.keywords)
                    break


def _passed(fn: _Function, callee: Body) -> _Taint:
    """What the calls of `fn` to `callee` pass of the value, as the callee's parameters."""
    taint = _Taint()
    parameters = _parameters(callee.node)
    for call in _calls_to(fn, callee):
        pairs = list(zip(parameters, call.args, strict=False))
        pairs += [(k.arg, k.value) for k in call.keywords if k.arg]
        for parameter, value in pairs:
            if fn.carries(value):
                taint.direct.add(parameter)
            else:
                keys = fn.holder(value)
                if keys is not None:
                    taint.holders[parameter] = keys
    return taint


def _model_of(expr: ast.AST) -> str:
    """The model a query chain or attribute names: `select(Payment).where(...)` -> Payment,
    `insert(Payment).values(...)` -> Payment, `Payment.charge_id` -> Payment."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            for argument in node.args[:1]:
                dotted = dotted_name(argument) or ""
                last = dotted.rsplit(".", 1)[-1]
                if last[:1].isupper():
                    return last
    owner = dotted_name(expr.value) if isinstance(expr, ast.Attribute) else dotted_name(expr)
    head = (owner or "").rsplit(".", 1)[-1]
    return head if head[:1].isupper() else ""


def _sql_text(expr: ast.AST, fn: _Function) -> str | None:
    if isinstance(expr, ast.Call) and expr.args:
        return _sql_text(expr.args[0], fn)  # text("..."), sa.text(...)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.JoinedStr):
        parts = [v.value for v in expr.values if isinstance(v, ast.Constant)]
        return "".join(p for p in parts if isinstance(p, str))
    if isinstance(expr, ast.Name):
        for node in iter_body(fn.body.node):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == expr.id for t in node.targets
            ):
                return _sql_text(node.value, fn)
        value = fn.body.parsed.semantic.module_value(expr.id)
        return _sql_text(value, fn) if value is not None else None
    return None


def _sql_uses(call: ast.Call, fn: _Function, use: _UseMaker) -> Iterator[Use]:
    values = [*call.args[1:], *(k.value for k in call.keywords)]
    flat = [n for v in values for n in ast.walk(v) if isinstance(n, ast.expr)]
    if not call.args or not any(fn.carries(n) for n in flat):
        return
    text = _sql_text(call.args[0], fn)
    if not text or not re.search(r"\b(select|insert|update|delete|where)\b", text, re.I):
        return
    if _UPSERT.search(text):
        yield use("upsert", call)
    elif (inserted := _INSERT_INTO.search(text)) is not None:
        yield use("write", call, inserted[1], "")
    else:
        columns = _SQL_COLUMN.findall(text)
        chosen = next((c for c in columns if any(w in c.lower() for w in fn.source.words)), "")
        yield use("lookup", call, "", chosen or (columns[0] if columns else ""))


class _UseMaker:
    def __init__(self, fn: _Function, locked: bool, status: bool) -> None:
        self.fn = fn
        self.locked = locked
        self.status = status

    def __call__(self, kind: str, node: ast.AST, model: str = "", column: str = "") -> Use:
        body = self.fn.body
        line = getattr(node, "lineno", body.node.lineno)
        return Use(kind, body.name, body.path, line, model, column, self.locked, self.status)


def _flags(body: Body) -> tuple[bool, bool]:
    """(the function locks, the function compares a status)."""
    locked = status = False
    for node in iter_body(body.node):
        if isinstance(node, ast.Attribute) and node.attr == "with_for_update":
            locked = True
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            locked |= "for update" in node.value.lower()
        elif isinstance(node, ast.withitem):
            locked |= "lock" in ast.unparse(node.context_expr).lower()
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            status |= any(
                isinstance(s, ast.Attribute) and STATUS_WORDS.search(s.attr) for s in sides
            )
    return locked, status


def _call_uses(call: ast.Call, fn: _Function, use: _UseMaker) -> Iterator[Use]:
    func = call.func
    if not isinstance(func, ast.Attribute | ast.Name):
        return
    method = func.attr if isinstance(func, ast.Attribute) else ""
    receiver = func.value if isinstance(func, ast.Attribute) else func
    head = dotted_name(func) or ""
    for keyword in call.keywords:
        if not keyword.arg or not fn.carries(keyword.value):
            continue
        if head.rsplit(".", 1)[-1][:1].isupper():
            yield use("write", call, head.rsplit(".", 1)[-1], keyword.arg)
        elif method == "values":
            yield use("write", call, _model_of(receiver), keyword.arg)
        elif method in _LOOKUPS:
            yield use("lookup", call, _model_of(func), keyword.arg)
    if method == "get" and len(call.args) >= 2 and fn.carries(call.args[1]):
        yield use("key", call, _model_of(call), "")
    if method in ("set", "setnx") and call.args and fn.carries(call.args[0]):
        nx = any(k.arg == "nx" and not _false(k.value) for k in call.keywords)
        if method == "setnx" or nx:
            yield use("nx", call)
    ignores = method == "prefix_with" and "IGNORE" in ast.unparse(call).upper()
    if method.startswith("on_conflict") or ignores:
        chain = [n for n in ast.walk(receiver) if isinstance(n, ast.expr)]
        if any(fn.carries(n) or fn.holder(n) is not None for n in chain):
            yield use("upsert", call)
    upsert = any(k.arg == "upsert" and not _false(k.value) for k in call.keywords)
    for argument in call.args[:1]:
        if isinstance(argument, ast.Dict):
            for key, value in zip(argument.keys, argument.values, strict=True):
                named = isinstance(key, ast.Constant) and isinstance(key.value, str)
                if named and fn.carries(value):
                    kind = "upsert" if upsert else "write" if "insert" in method else "lookup"
                    yield use(kind, call, "", str(key.value))  # type: ignore[union-attr]
    yield from _sql_uses(call, fn, use)


def _false(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Constant) and expr.value in (False, None)


def _uses(fn: _Function) -> list[Use]:
    locked, status = _flags(fn.body)
    use = _UseMaker(fn, locked, status)
    found: list[Use] = []
    touched = False
    for node in iter_body(fn.body.node):
        if isinstance(node, ast.Call):
            found.extend(_call_uses(node, fn, use))
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1:
            left, right = node.left, node.comparators[0]
            for side, other in ((left, right), (right, left)):
                if fn.carries(other) and isinstance(side, ast.Attribute) and not fn.carries(side):
                    found.append(use("lookup", node, _model_of(side), side.attr))
        elif isinstance(node, ast.Assign) and fn.carries(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute):
                    found.append(use("write", node, "", target.attr))
        elif isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught = ast.unparse(node.type)
            if any(name in caught for name in _DUPLICATE_ERRORS):
                found.append(use("duplicate-guard", node))
        touched |= isinstance(node, ast.expr) and fn.carries(node)
    return found if touched else []


_PROCESSING = re.compile(
    r"process|handle|pay|charge|credit|grant|activate|record|save|create|register|store|"
    r"apply|complete|confirm|finali[sz]e|fulfil|deliver|top_?up|deposit|purchase|order",
    re.I,
)


def _escapes(fn: _Function, linked: set[str]) -> Iterator[Use]:
    """Calls that take the value into code the call graph does not link (a method of an
    object it cannot type): what happens there is unknown. `column` is the call's name."""
    for node in iter_body(fn.body.node):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else dotted_name(func) or ""
        if called in linked or not _PROCESSING.search(called) or called[:1].isupper():
            continue
        values = [*node.args, *(k.value for k in node.keywords)]
        if any(fn.carries(v) or fn.holder(v) is not None for v in values):
            body = fn.body
            yield Use("escape", body.name, body.path, node.lineno, "", called)


def follow(code: Code, start: str, source: Source) -> list[Use]:
    """The uses of `source`'s value from the function `start` on, through project calls."""
    first = code.body(start)
    if first is None:
        return []
    taints: dict[str, _Taint] = {start: _Taint()}
    queue = [start]
    uses: dict[tuple[str, int, str, str], Use] = {}
    visits = 0
    while queue and visits < _MAX_VISITS:
        name = queue.pop(0)
        visits += 1
        body = code.body(name)
        if body is None:
            continue
        fn = _Function(source, body, _Taint(set(taints[name].direct), dict(taints[name].holders)))
        _bind(fn)
        callees = code.callees(name, body)
        linked = {c.rsplit(".", 1)[-1] for c in callees}
        linked |= {c.rsplit(".", 2)[-2] for c in callees if c.endswith(".__init__")}
        for found in (*_uses(fn), *_escapes(fn, linked)):
            uses.setdefault((found.function, found.line, found.kind, found.column), found)
        for callee_name in callees:
            callee = code.body(callee_name)
            if callee is None:
                continue
            passed = _passed(fn, callee)
            if not passed.direct and not passed.holders:
                continue
            current = taints.setdefault(callee_name, _Taint())
            if current.grows(passed) and callee_name not in queue:
                queue.append(callee_name)
    return sorted(uses.values(), key=lambda u: (u.path, u.line, u.kind))
