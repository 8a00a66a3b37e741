"""Refund paths of a project and whether they take back what the payment granted.

A refund path is a handler of Telegram's `refunded_payment` service message (Bot API 7.7), a
handler or route that reaches `refund_star_payment` (an admin refund command), or the branch
of a payment provider's callback that handles a refund or chargeback event (`if event ==
"refund.succeeded"`, `case "charge.refunded"`, `status == "refund_paid"`).

A path *revokes* when its flow (the branch's statements, the functions it calls, what they
reach) writes anything — a database write, a commit, a request to another service (a VPN
panel, a shop API) — or calls something named for taking back (`revoke`, `deactivate`,
`subtract_balance`, `mark_refunded`, `handle_refund` the call graph cannot follow). Only a
path that logs or sends messages does not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.effects import Effects
from prodready.analysis.project.model import Evidence, Route
from prodready.analysis.project.payments import REFUND_CALLS, payment_handlers, refund_calls
from prodready.analysis.project.writes import Write, write_of, writes_in
from prodready.analysis.walk import iter_body

# Event types and statuses that say money went back (YooKassa `refund.succeeded`, Stripe
# `charge.refunded` / `charge.dispute.created`, Cryptomus `refund_paid`, Tribute `refund`).
REFUND_EVENT = re.compile(
    r"^((payment|charge|order|invoice|transaction)[._])?(refund(ed)?|chargeback|"
    r"refund[._](succeeded|paid|completed|success)|dispute[._](created|funds_withdrawn)|"
    r"charge\.dispute\.(created|funds_withdrawn))$",
    re.I,
)
_SUCCESS_EVENT = re.compile(
    r"^((payment|charge|order|invoice|checkout\.session|payment_intent)[._])?"
    r"(succeeded|success|successful|paid|paid_over|completed|confirmed|finished)$",
    re.I,
)
_EVENT_ATTRIBUTES = frozenset({"type", "event", "event_type", "kind"})
# Calls that may take back what was granted, or hand the refund to code that does.
_REVOKES = re.compile(
    r"revok|deactivat|disable|cancel|remove|delete|ban|block|expire|suspend|terminat|deduct|"
    r"subtract|decrease|decrement|debit|withdraw|revers|rollback|downgrade|unsubscrib|kick|"
    r"mark|set_?status|update|shorten|reduce|clawback|take_back|refund|chargeback|dispute",
    re.I,
)
_MESSAGES = re.compile(r"^_?(send|notify|answer|reply|log|edit|print|format|render)", re.I)
_STORES = ("session", "db", "repo", "crud", "service", "client", "api", "panel", "manager", "dao")
_TAKES_BACK = frozenset({"commit", "http-write", "http-request", "sdk-write", "sdk-client"})
_TAKES_BACK |= frozenset({"queue"})


@dataclass(frozen=True, slots=True)
class RefundPath:
    """A refund path: where it starts (the handler, or the branch's test), its kind
    ("refunded_payment" | "refund_star_payment" | "provider"), the function it is in, and for
    a provider branch the statements of the branch."""

    evidence: Evidence
    kind: str
    function: str
    branch: tuple[ast.stmt, ...] = ()
    event: str = ""


def _constants(node: ast.expr) -> list[str] | None:
    """The string constants a comparison side holds (`"x"`, `("x", "y")`), or None."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    found = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
    return found if found and len(found) == len(items) else None


def event_test(test: ast.expr, pattern: re.Pattern[str]) -> str:
    """The event a branch test matches (`event == "refund.succeeded"`, `data["status"] in
    ("refunded",)`), "" when none. A bare status compared with a row's attribute
    (`payment.status == "refunded"`) is the stored state, not the event, and does not count."""
    for node in ast.walk(test):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        if not isinstance(node.ops[0], ast.Eq | ast.In):
            continue
        left, right = node.left, node.comparators[0]
        for side, other in ((right, left), (left, right)):
            values = _constants(side)
            if not values or not all(pattern.match(v) for v in values):
                continue
            if _stored_state(values, other):
                continue
            return values[0]
    return ""


def _stored_state(values: list[str], other: ast.expr) -> bool:
    """A bare status compared with a row's attribute (`payment.status == "refunded"`), not
    with the event's own (`event.type`, `data.event`)."""
    if any("." in v for v in values) or not isinstance(other, ast.Attribute):
        return False
    return "." in (dotted_name(other) or "") and other.attr not in _EVENT_ATTRIBUTES


Branch = tuple[ast.AST, str, list[ast.stmt]]


def _branches(body: Body, pattern: re.Pattern[str]) -> Iterator[Branch]:
    """The `if` / `elif` / `case` blocks of a function taken on an event `pattern` matches."""
    for node in iter_body(body.node):
        if isinstance(node, ast.If):
            event = event_test(node.test, pattern)
            if event:
                yield node, event, node.body
        elif isinstance(node, ast.Match):
            for case in node.cases:
                values = [
                    p.value.value
                    for p in ast.walk(case.pattern)
                    if isinstance(p, ast.MatchValue)
                    and isinstance(p.value, ast.Constant)
                    and isinstance(p.value.value, str)
                ]
                if values and all(pattern.match(v) for v in values):
                    yield case.pattern, values[0], case.body


def refund_paths(code: Code) -> list[RefundPath]:
    """Every refund path of the project. Calls of `refund_star_payment` count only when no
    `refunded_payment` handler exists: Telegram sends that message for those refunds too."""
    project = code.project
    found: list[RefundPath] = []
    for handler in project.model.handlers:
        if "refunded_payment" in handler.kinds:
            found.append(RefundPath(handler.evidence, "refunded_payment", handler.function))
    if not found:
        refunders = set(refund_calls(project))
        entries = [(h.function, h.evidence) for h in project.model.handlers]
        entries += [(r.function, r.evidence) for r in project.model.routes]
        trusted = Effects(project) if refunders else None  # links by name may be wrong
        for function, evidence in entries:
            if trusted is not None and refunders & set(trusted.reachable(function, 3)):
                found.append(RefundPath(evidence, "refund_star_payment", function))
    for route in project.model.routes:
        if not provider_callback(route):
            continue
        for body in code.reach(route.function, 3):
            for node, event, statements in _branches(body, REFUND_EVENT):
                where = Evidence(body.path, getattr(node, "lineno", body.node.lineno))
                found.append(RefundPath(where, "provider", body.name, tuple(statements), event))
    return list({(p.evidence, p.function): p for p in found}.values())


def provider_callback(route: Route) -> bool:
    """A payment provider's callback: so classified, or a POST route named for a webhook
    that does not feed Telegram updates (`/tribute-webhook`, `apple_notifications`)."""
    if route.receives == "payment":
        return True
    named = f"{route.path} {route.function.rsplit('.', 1)[-1]}".lower()
    return route.receives != "telegram" and route.method == "POST" and "webhook" in named


def _branch_callees(code: Code, body: Body, statements: Sequence[ast.stmt]) -> list[str]:
    """The project functions the branch's statements call."""
    called = {
        call_name(n).rsplit(".", 1)[-1]
        for s in statements
        for n in ast.walk(s)
        if isinstance(n, ast.Call)
    }
    return [c for c in code.callees(body.name, body) if c.rsplit(".", 1)[-1] in called]


def _as_function(body: Body, statements: Sequence[ast.stmt]) -> ast.FunctionDef:
    """A branch's statements as a function, for the helpers that read one."""
    return ast.FunctionDef(
        name="_branch", args=body.node.args, body=list(statements), decorator_list=[]
    )


def _branch_takes_back(code: Code, body: Body, statements: Sequence[ast.stmt]) -> bool:
    if writes_in(_as_function(body, statements), body.parsed.semantic) is not None:
        return True
    followed = frozenset(c.rsplit(".", 1)[-1] for c in _branch_callees(code, body, statements))
    for node in (n for s in statements for n in ast.walk(s)):
        if isinstance(node, ast.AugAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
            if any(isinstance(t, ast.Attribute) for t in targets):
                return True  # `sub.active = False`: a row changed, committed after the branch
        if isinstance(node, ast.Call) and _revoking(node, followed):
            return True
    return False


def call_name(call: ast.Call) -> str:
    """`a.b.c` of `a.b.c(...)`, the method of `f().m(...)`, "" for anything else."""
    func = call.func
    return dotted_name(func) or (func.attr if isinstance(func, ast.Attribute) else "")


def _revoking(call: ast.Call, followed: frozenset[str] = frozenset()) -> bool:
    """A call named for taking back (`revoke_access(...)`, `repo.mark_refunded(...)`); a bare
    generic method (`update`, `remove`, `cancel`) only on a receiver that reads as a store or
    a service (`session.delete(sub)`, `panel.disable(...)`), not a dict's `update`."""
    name = call_name(call)
    short = name.rsplit(".", 1)[-1]
    if short in REFUND_CALLS or short in followed or _MESSAGES.match(short):
        return False  # a function the flow follows is judged by its body
    if not _REVOKES.search(short):
        return False
    if "_" in short.strip("_") or len(short) > 10:
        return True
    receiver = name.rsplit(".", 1)[0].lower() if "." in name else ""
    return any(word in receiver for word in _STORES)


def flow_of(code: Code, path: RefundPath) -> list[Body]:
    """The functions a refund path runs: the handler and what it reaches, or what the
    provider branch calls and what they reach."""
    if not path.branch:
        return code.reach(path.function, 4)
    body = code.body(path.function)
    if body is None:
        return []
    bodies: dict[str, Body] = {}
    for callee in _branch_callees(code, body, path.branch):
        bodies.update((b.name, b) for b in code.reach(callee, 3))
    return list(bodies.values())


def takes_back(code: Code, effects: Effects, path: RefundPath) -> bool:
    """Whether the refund path's flow writes or calls anything that may revoke."""
    body = code.body(path.function)
    if path.branch and body is not None and _branch_takes_back(code, body, path.branch):
        return True
    flow = flow_of(code, path)
    followed = frozenset(b.short for b in flow)
    for reached in flow:
        if write_of(reached) is not None:
            return True
        if any(e.kind in _TAKES_BACK for e in effects.direct.get(reached.name, ())):
            return True
        calls = (n for n in iter_body(reached.node) if isinstance(n, ast.Call))
        if any(_revoking(n, followed) for n in calls):
            return True
    return False


def revoked_elsewhere(code: Code, path: RefundPath) -> str:
    """A project function named for refunds, outside the path's own flow, that writes (an
    admin `refund_order` that revokes, then asks the provider to refund): the path may only
    be the provider's confirmation of it. Its name, or ""."""
    own = {b.name for b in flow_of(code, path)} | {path.function}
    for name in code.project.calls.functions:
        if name in own or "refund" not in name.rsplit(".", 1)[-1].lower():
            continue
        if any(write_of(b) is not None for b in code.reach(name, 2)):
            return name
    return ""


_GRANT_WORDS = re.compile(
    r"subscri|balance|expir|premium|vip|activ|extend|prolong|grant|credit|provision|access|"
    r"days|key|order|purchase|paid",
    re.I,
)


def granted(code: Code, path: RefundPath) -> Write | None:
    """What the payment granted, as a write of its flow (one that reads as a grant first):
    the `successful_payment` handlers' for a Telegram refund; for a provider refund, the
    success branch's of the same callback function (`if event == "payment.succeeded":`)."""
    starts: list[str] = []
    writes: list[Write] = []
    if path.kind != "provider":
        starts = [h.function for h in payment_handlers(code)]
    elif (body := code.body(path.function)) is not None:
        for _, _, statements in _branches(body, _SUCCESS_EVENT):
            found = writes_in(_as_function(body, statements), body.parsed.semantic)
            if found is not None:
                line = getattr(found[0], "lineno", body.node.lineno)
                writes.append(Write(body.name, body.path, line, found[1]))
            starts += _branch_callees(code, body, statements)
    for start in starts:
        writes += [w for w in (write_of(b) for b in code.reach(start)) if w is not None]
    grants = [w for w in writes if _GRANT_WORDS.search(f"{w.label} {w.function}")]
    chosen = grants or writes
    return chosen[0] if chosen else None
