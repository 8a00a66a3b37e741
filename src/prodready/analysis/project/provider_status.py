"""Status writes a payment provider's callback takes from the event it received.

Providers send one event per status change and do not promise their order (Stripe: no order
guaranteed; YooKassa sends `payment.waiting_for_capture`, then `payment.succeeded`, each
retried on its own). A callback that copies the event's status onto the stored payment
(`payment.status = data["status"]`, `STATUS_MAP[event_type]`, a setter called with it) lets
a late `pending` overwrite `succeeded`, unless it checks the transition (the stored status or
a predicate such as `payment.is_paid` compared first, an UPDATE whose WHERE names the status)
or that the event is newer (a timestamp, version or sequence compared).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.refunds import call_name
from prodready.analysis.reaching import Bindings
from prodready.analysis.state_writes import StateWrite, state_writes
from prodready.analysis.walk import iter_body

# Names and keys that hold the provider's event or its status.
_EVENT_ROOTS = re.compile(
    r"^(data|payload|body|event|evt|notification|notice|webhook|callback|obj|object|params|"
    r"form|request_data|json_data|raw|update|ipn|message|msg|invoice_data|payment_data)$",
    re.I,
)
_EVENT_KEYS = re.compile(r"status|state|event|type", re.I)
_REQUEST_READS = frozenset({"json", "post", "form", "loads", "parse_obj", "model_validate"})
# A comparison that orders events: timestamps, versions, sequence numbers.
_ORDERING = re.compile(
    r"created|updated|timestamp|_at\b|_time\b|\btime\b|date|version|sequence|\bseq\b", re.I
)
# Statuses a payment passes through before a final one: set again late, they move it back.
_EARLY = re.compile(r"pending|waiting|processing|created|\bnew\b|hold|authori[sz]|unpaid", re.I)
_GUARDS = frozenset({"status-check", "conditional-update"})
_DEPTH = 3


@dataclass(frozen=True, slots=True)
class EventWrite:
    """A state write with its value taken from the provider's event: where it is (`body`,
    `node`), what it writes, and through which setter call (`call` in `caller`) when the
    write itself is a generic setter."""

    body: Body
    write: StateWrite
    value: str
    caller: Body | None = None
    call: ast.Call | None = None
    branch: bool = False
    """The status is fixed, written in a branch taken on the event (`value` is its test)."""


def _event_expr(expr: ast.AST, body: Body, bindings: Bindings, depth: int = 0) -> str:
    """The event-derived part of `expr` as written (`data["status"]`, `event.type`,
    `STATUS_MAP.get(status)` of a status read from the event), "" when there is none."""
    for node in ast.walk(expr):
        key: ast.AST | None = None
        holder: ast.expr | None = None
        if isinstance(node, ast.Subscript):
            key, holder = node.slice, node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr == "get":
                key, holder = node.args[0], node.func.value
        elif isinstance(node, ast.Attribute) and _EVENT_KEYS.search(node.attr):
            if _from_event(node.value, bindings):
                return ast.unparse(node)  # data.object.status of a pydantic payload
        elif isinstance(node, ast.Name) and depth < _DEPTH:
            value = _bound_value(bindings, node)
            if value is not None and _event_expr(value, body, bindings, depth + 1):
                return ast.unparse(node)
        if key is None or holder is None:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            if _EVENT_KEYS.search(key.value) and _from_event(holder, bindings):
                return ast.unparse(node)
        elif depth < _DEPTH and _event_expr(key, body, bindings, depth + 1):
            return ast.unparse(node)  # STATUS_MAP[event["type"]]
    return ""


def _bound_value(bindings: Bindings, name: ast.Name) -> ast.expr | None:
    """What the name was last assigned (the whole right side of a tuple unpacking)."""
    found = bindings.reaching(name.id, name)
    if found is None or found.kind != "assign":
        return None
    if found.value is not None:
        return found.value
    statement = found.statement
    return statement.value if isinstance(statement, ast.Assign) else None


def _from_event(expr: ast.expr, bindings: Bindings) -> bool:
    """The expression is the event or part of it: rooted at a name read as an event (a
    parameter, or a local assigned from the request body), `data["object"]["status"]`."""
    while isinstance(expr, ast.Attribute | ast.Subscript):
        expr = expr.value
    if isinstance(expr, ast.Call):
        return getattr(expr.func, "attr", "") in _REQUEST_READS
    if isinstance(expr, ast.Await):
        return _from_event(expr.value, bindings)
    if not isinstance(expr, ast.Name):
        return False
    binding = bindings.reaching(expr.id, expr)
    if binding is None:
        return False
    if binding.kind == "param":
        return bool(_EVENT_ROOTS.match(expr.id))
    value = binding.value
    if value is None:
        return False
    reads = [n for n in ast.walk(value) if isinstance(n, ast.Call)]
    if any(getattr(c.func, "attr", "") in _REQUEST_READS for c in reads):
        return True
    if isinstance(value, ast.Subscript | ast.Attribute | ast.Name):
        return _from_event(value, bindings)  # `invoice = update["payload"]`: a part of it
    return bool(_EVENT_ROOTS.match(expr.id)) and _from_event(value, bindings)


def _ordered(body: Body, before: int) -> bool:
    """The function compares timestamps, versions or sequence numbers before line `before`."""
    return any(
        isinstance(n, ast.Compare)
        and getattr(n, "lineno", before) <= before
        and _ORDERING.search(ast.unparse(n))
        for n in iter_body(body.node)
    )


def _aliased_check(body: Body, write: StateWrite) -> bool:
    """`old = payment.status` read before the write in a comparison, a lookup or a call
    (`ALLOWED.get(old)`, `can_move(old, new)`): the transition is checked through a local."""
    source = f"{write.receiver}.{write.field}"
    aliases = {
        t.id
        for n in iter_body(body.node)
        if isinstance(n, ast.Assign) and dotted_name(n.value) == source and n.lineno < write.line
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    if not aliases:
        return False
    for node in iter_body(body.node):
        if getattr(node, "lineno", write.line) >= write.line:
            continue
        operands: list[ast.AST] = []
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.Call):
            operands = [*node.args]
        elif isinstance(node, ast.Subscript):
            operands = [node.slice]
        if any(isinstance(o, ast.Name) and o.id in aliases for o in operands):
            return True
    return False


def _guarded(body: Body, write: StateWrite) -> bool:
    return (
        write.guard in _GUARDS
        or _ordered(body, write.line)
        or (bool(write.receiver) and _aliased_check(body, write))
    )


def _checks_row(caller: Body, call: ast.Call) -> bool:
    """The caller compares the stored state before handing the row to the setter
    (`if payment.is_paid: return`, `if payment.status == "succeeded"`)."""
    for node in iter_body(caller.node):
        if getattr(node, "lineno", call.lineno) >= call.lineno:
            continue
        if isinstance(node, ast.If | ast.Compare | ast.Match):
            text = ast.unparse(node.test if isinstance(node, ast.If) else node)
            if re.search(r"\.(status|state|is_\w+|paid\w*|\w+_status)\b", text):
                return True
    return _ordered(caller, call.lineno)


def _passed(
    call: ast.Call, callee: ast.FunctionDef | ast.AsyncFunctionDef, name: str
) -> ast.expr | None:
    """The argument a call gives to the callee's parameter `name`."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    params = [a.arg for a in (*callee.args.posonlyargs, *callee.args.args)]
    offset = 1 if params[:1] in (["self"], ["cls"]) and isinstance(call.func, ast.Attribute) else 0
    if name in params:
        index = params.index(name) - offset
        if 0 <= index < len(call.args):
            return call.args[index]
    return None


def _setter_calls(
    body: Body, value: ast.Name, reached: list[Body]
) -> Iterator[tuple[Body, ast.Call, str]]:
    """Callers in the flow that pass the event's status to the setter `body` (whose write
    stores its parameter `value`)."""
    for caller in reached:
        bindings: Bindings | None = None
        for node in iter_body(caller.node):
            if not isinstance(node, ast.Call):
                continue
            if call_name(node).rsplit(".", 1)[-1] != body.short:
                continue
            argument = _passed(node, body.node, value.id)
            if argument is None:
                continue
            bindings = bindings or Bindings.of(caller.node)
            found = _event_expr(argument, caller, bindings)
            if found and not _checks_row(caller, node):
                yield caller, node, found


def _new_value(write: StateWrite) -> ast.expr | None:
    """The expression a write stores: the right side, or the `values(status=...)` keyword."""
    node = write.node
    if isinstance(node, ast.Assign):
        return node.value
    if isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg == write.field:
                return keyword.value
        for argument in node.args:
            if isinstance(argument, ast.Dict):
                for key, value in zip(argument.keys, argument.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == write.field:
                        return value
    return None


def event_writes(code: Code, route_function: str) -> list[EventWrite]:
    """The unguarded status writes a callback's flow takes from the event."""
    reached = code.reach(route_function, 4)
    found: list[EventWrite] = []
    for body in reached:
        writes = [w for w in state_writes(body.node, any_value=True) if not w.constructed]
        if not writes:
            continue
        bindings = Bindings.of(body.node)
        for write in writes:
            value = _new_value(write)
            if value is None or _guarded(body, write):
                continue
            bound = bindings.reaching(value.id, value) if isinstance(value, ast.Name) else None
            if isinstance(value, ast.Name) and bound is not None and bound.kind == "param":
                for caller, call, passed in _setter_calls(body, value, reached):
                    found.append(EventWrite(body, write, passed, caller, call))
                continue
            taken = _event_expr(value, body, bindings)
            test = "" if taken else _backward_on_event(body, write, bindings)
            if taken or test:
                found.append(EventWrite(body, write, taken or test, branch=bool(test)))
    return found


def _backward_on_event(body: Body, write: StateWrite, bindings: Bindings) -> str:
    """A fixed early status (`pending`, `waiting_for_capture`) set in a branch taken on the
    event (`if event["event"] == "payment.waiting_for_capture":`): the event's test, or ""."""
    if not _EARLY.search(write.new):
        return ""
    for node in iter_body(body.node):
        if not isinstance(node, ast.If) or not _event_expr(node.test, body, bindings):
            continue
        if any(write.node is n for s in node.body for n in ast.walk(s)):
            return ast.unparse(node.test)
    return ""
