"""What a web route's code does with the request it trusts: the functions it reaches (its own
calls, its FastAPI dependencies, the app's middlewares), whether they verify where the request
comes from, and whether they make a repeated payment callback a no-op.

Verification (a payment provider's callback): an HMAC / signature check (`hmac.new`,
`compare_digest`, `stripe.Webhook.construct_event`, a `verify*` / `*signature*` call, a hash
compared with a signature or secret), a source-IP allow-list (`ipaddress`, YooKassa's
`SecurityHelper().is_ip_trusted`), a secret in the route's path, or the payment fetched back
from the provider before it is trusted (`Payment.find_one(id)`, a `check_payment_status`
helper that calls the provider's API).

Deduplication: a row lock (`with_for_update`, `FOR UPDATE`), an upsert (`on_conflict_*`,
`ON CONFLICT`, `upsert=True`), an IntegrityError handler, a Redis `SET NX`, a check of the
stored payment's status (`if payment.status == PAID: return`, `where(Order.status == ...)`) or
an early return when the event was seen (`if existing: return`).
"""

from __future__ import annotations

import ast
import re

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Route
from prodready.analysis.project.value_flow import STATUS_WORDS
from prodready.analysis.project.writes import Write, write_of
from prodready.analysis.walk import iter_body
from prodready.rules.outbound import external_call_library

_VERIFY_CALL = re.compile(
    r"(^|[._])(hmac|compare_digest|construct_event|verify\w*|\w*signature\w*|check_?sign\w*|"
    r"validate_?sign\w*|is_ip_trusted|ip_address|ip_network|\w*whitelist\w*|\w*allowlist\w*|"
    r"\w*trusted\w*)$",
    re.I,
)
_SECRET_WORDS = re.compile(r"sign|secret|hash|digest|api_?key|token", re.I)
_SIGNATURE_ERROR = re.compile(r"signature|\bsign\w*error|hmac", re.I)
_REFETCH = re.compile(
    r"(^|_)(find_one|retrieve|(get|check|fetch|verify|load|sync)_?(\w+_)?"
    r"(payment|invoice|order|transaction|bill)s?(_?(status|info|details))?)$",
    re.I,
)
_LOADS = re.compile(r"execute|scalar|get|select|find|first|one|fetch|query|filter|load", re.I)
_EXITS = (ast.Return, ast.Raise, ast.Continue)
_PATH_SECRET = re.compile(r"secret|token|key", re.I)
# A provider may call back with GET (FreeKassa, Robokassa can); OPTIONS / HEAD never act.
CALLBACK_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "*", "DELETE"})


def _resolve(project: Project, module: str, written: str) -> str | None:
    """A dependency or middleware as written (`verify`, `deps.verify`) -> a project function."""
    short = written.rsplit(".", 1)[-1]
    if f"{module}.{short}" in project.calls.functions:
        return f"{module}.{short}"
    if written in project.calls.functions:
        return written
    found = [n for n in project.calls.functions if n.rsplit(".", 1)[-1] == short]
    return found[0] if len(found) == 1 else None


Reached = list[tuple[Body, int]]
_ENTRY_DEPTH = 2  # checks of where a request comes from sit at the entry, not deep inside


def route_code(code: Code, route: Route) -> Reached:
    """The route's function, what it reaches, and what its dependencies and the app's
    middlewares reach; each with its distance in calls from the nearest of them."""
    project = code.project
    module = route.function.rsplit(".", 1)[0]
    starts = [route.function]
    starts += [d for d in (_resolve(project, module, w) for w in route.dependencies) if d]
    for hook in project.model.hooks:
        if hook.kind == "middleware" and hook.framework == route.framework:
            found = _resolve(project, hook.function.rsplit(".", 1)[0], hook.function)
            starts += [found] if found else []
            starts += [f for f in project.calls.functions if f.startswith(hook.function + ".")]
    seen: dict[str, tuple[Body, int]] = {}
    for start in starts:
        for body, depth in code.reach_with_depth(start):
            if body.name not in seen or seen[body.name][1] > depth:
                seen[body.name] = (body, depth)
    return sorted(seen.values(), key=lambda pair: pair[1])


def first_write(reached: Reached) -> tuple[Write, int] | None:
    """The first write the route's code makes, with its depth."""
    for body, depth in reached:
        found = write_of(body)
        if found is not None:
            return found, depth
    return None


def _compares_secret(node: ast.Compare) -> bool:
    """`expected != SIGN`, `hmac_hex == data["signature"]`: an equality on a signature."""
    if not all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
        return False
    return any(_SECRET_WORDS.search(ast.unparse(side)) for side in (node.left, *node.comparators))


def verification(project: Project, route: Route, reached: Reached) -> str | None:
    """How the route's code checks the callback is genuine (at its entry: the route, its
    dependencies and middlewares, and what they call directly), or None."""
    if _PATH_SECRET.search(route.path) and "{" in route.path:
        return f"a secret in the path {route.path}"
    for body in (body for body, depth in reached if depth <= _ENTRY_DEPTH):
        for node in iter_body(body.node):
            if isinstance(node, ast.Call):
                called = dotted_name(node.func) or _attr(node.func)  # SecurityHelper().x(...)
                if _VERIFY_CALL.search(called):
                    return f"`{called}(...)` in `{body.short}`"
                if _REFETCH.search(called.rsplit(".", 1)[-1]) and _fetches(project, body, called):
                    return f"`{called}(...)` fetches the payment back"
            elif isinstance(node, ast.Compare) and _compares_secret(node):
                return f"a signature compared in `{body.short}`"
            elif isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = ast.unparse(node.type)
                if _SIGNATURE_ERROR.search(caught):  # `except InvalidWebhookSignature:`
                    return f"`except {caught}` in `{body.short}`: the call it guards verifies"
    return None


def _fetches(project: Project, body: Body, called: str) -> bool:
    """The call asks the provider: an SDK / HTTP call, or a project function that makes one."""
    qualified = body.parsed.semantic.imports.qualified_name(ast.parse(called, mode="eval").body)
    if qualified and external_call_library(qualified):
        return True
    short = called.rsplit(".", 1)[-1]
    targets = [c for c in project.calls.callees(body.name) if c.rsplit(".", 1)[-1] == short]
    for target in targets:
        for name in project.calls.reachable(target, 2):
            info = project.calls.functions[name]
            if any(external_call_library(call) for call in info.calls):
                return True
    return not targets and qualified is not None and not qualified.startswith(body.name)


def _loaded_names(body: Body) -> set[str]:
    """Names the function assigns from a database lookup (`payment =
    result.scalar_one_or_none()`), not from a provider's API (`Payment.find_one(id)`)."""
    imports = body.parsed.semantic.imports
    names: set[str] = set()
    for node in iter_body(body.node):
        if not isinstance(node, ast.Assign):
            continue
        calls = [n for n in ast.walk(node.value) if isinstance(n, ast.Call)]
        if any(external_call_library(imports.qualified_name(c.func) or "") for c in calls):
            continue
        awaited = isinstance(node.value, ast.Await)  # a repository call: `await repo.get(id)`
        if awaited or any(_LOADS.search(dotted_name(c.func) or _attr(c.func)) for c in calls):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _attr(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else ""


def _early_exit(node: ast.If, tested: set[str]) -> bool:
    """The branch only logs and leaves (`return`, `raise`, `continue`), handing back nothing
    it tested (`if cached: return cached` is a cache, not a duplicate check)."""
    exits = [s for s in node.body if isinstance(s, _EXITS)]
    if not exits or not all(isinstance(s, (*_EXITS, ast.Expr, ast.Pass)) for s in node.body):
        return False
    returned = [getattr(s, "value", None) for s in exits]
    return not any(
        isinstance(n, ast.Name) and n.id in tested
        for value in returned
        if value is not None
        for n in ast.walk(value)
    )


def _guard(node: ast.If, loaded: set[str]) -> bool:
    """`if payment.status == PAID`, `if existing: return`, `if await repo.seen(id): return`."""
    test = node.test
    for inner in ast.walk(test):
        if isinstance(inner, ast.Attribute) and STATUS_WORDS.search(inner.attr):
            root = dotted_name(inner.value) or ""
            if root.split(".")[0] in loaded or root[:1].isupper():
                return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot):
        test = test.left
    tested = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)}
    if isinstance(test, ast.Await) or (isinstance(test, ast.Name) and test.id in loaded):
        return _early_exit(node, tested)
    return False


_SQL_DEDUP = re.compile(r"for update|on conflict|or ignore|on duplicate key", re.I)
# `UPDATE payments SET status = 'paid' ... WHERE id = $1 AND status != 'paid'`: only one caller
# changes the row (with RETURNING or the row count telling the others to stop).
_SQL_STATUS_GUARD = re.compile(
    r"\bupdate\b.+\bwhere\b.+(?<![a-z_])(status|state|is_paid|paid|processed|is_successful)"
    r"(?![a-z_])",
    re.I | re.S,
)
_DUPLICATE_ERRORS = re.compile(r"IntegrityError|UniqueViolation|DuplicateKey")
_WHERE = frozenset({"where", "filter", "filter_by"})
_STATUS_TEXT = re.compile(
    r"(?<![a-z])(status|state|is_paid|paid|processed|completed|confirmed)(?![a-z])", re.I
)


def _signal(node: ast.AST, loaded: set[str]) -> str:
    """What one node of the code contributes to deduplication ("" for nothing)."""
    if isinstance(node, ast.Attribute):
        if node.attr == "with_for_update":
            return "a row lock"
        return "an upsert" if node.attr.startswith("on_conflict") else ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if _SQL_DEDUP.search(node.value):
            return "SQL with a lock or an upsert"
        return "a conditional update on the status" if _SQL_STATUS_GUARD.search(node.value) else ""
    if isinstance(node, ast.keyword) and node.arg in ("nx", "upsert"):
        return f"`{node.arg}=`"
    if isinstance(node, ast.ExceptHandler) and node.type is not None:
        return "a duplicate-key handler" if _DUPLICATE_ERRORS.search(ast.unparse(node.type)) else ""
    if isinstance(node, ast.If):
        return "a check of the stored state" if _guard(node, loaded) else ""
    if isinstance(node, ast.Call) and _attr(node.func) in _WHERE:
        texts = [ast.unparse(a) for a in node.args] + [k.arg or "" for k in node.keywords]
        return (
            "a conditional update on the status"
            if any(_STATUS_TEXT.search(t) for t in texts)
            else ""
        )
    return ""


def _called_before(caller: Body, callee: Body, line: int) -> bool:
    """`caller` calls `callee` on a line before `line`."""
    return any(
        isinstance(node, ast.Call)
        and (dotted_name(node.func) or _attr(node.func)).rsplit(".", 1)[-1] == callee.short
        and node.lineno < line
        for node in iter_body(caller.node)
    )


def deduplication(reached: Reached, write: Write, depth: int) -> str | None:
    """How the route's code makes a repeated callback a no-op, or None. Code at most `depth`
    (the write's) calls deep counts, and a helper one level deeper when the writing function
    calls it before the write (a locked loader, a seen-check): a guard that runs after the
    write, or far below it, protects nothing."""
    writer = next((body for body, _ in reached if body.name == write.function), None)
    for body, at in reached:
        if at > depth + 1 or (
            at == depth + 1 and (writer is None or not _called_before(writer, body, write.line))
        ):
            continue
        loaded = _loaded_names(body)
        for node in iter_body(body.node):
            text = _signal(node, loaded)
            if text:
                return f"{text} in `{body.short}`"
    return None
