"""Where one function's body ends transactions: the commits of a session — its own
`session.commit()`, or a call of a project function that commits the session it is handed
(a parameter, or `self.session` of a repository) — with the database writes and the effects
outside the database (HTTP, payment SDK, queue, Telegram send, an API client) between them,
in source order.

A *split* is two commits of one session on one run of the function, each after business
writes of its own, with nothing outside the database between them: the use case is cut into
two transactions for no reason, and a failure between them leaves the first half durable.
Not splits: commits in a loop, an `except` or a `finally` block, in exclusive branches or
after a `return` on the first one's path; of sessions bound by different `with` blocks or
assignments; with an external call between (commit a pending row, call the provider, record
the answer); a second transaction that only records an audit log or statistics.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace

from prodready.analysis.names import dotted_name
from prodready.analysis.orm import is_db_receiver
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.calls import callee_names
from prodready.analysis.project.effects import EXTERNAL, Effects
from prodready.analysis.project.order import Branch, branches, exclusive
from prodready.analysis.project.writes import SQL_WRITE, write_call, write_of
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_GUARDS = (ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler)
_BLOCKS = (*_GUARDS, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.If)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_ELSEWHERE = EXTERNAL | {"sdk-client", "queue", "telegram"}
_SESSION_WORDS = ("session", "uow", "unit_of_work")
_ARGUMENT_WORDS = ("session", "uow", "db", "conn", "repo")
# Receivers and arguments that are clients of another system (`api.update_user(...)`,
# `update_panel_user(api, ...)`): a call with one is a request outside the database.
_CLIENT = re.compile(r"(^|_)(api|client|panel|provider|gateway|sdk|http|bot)($|_)")
# Project functions whose names say they change state: a commit inside one ends a write.
_WRITER = re.compile(
    r"^_?(create|add|update|set|save|insert|delete|remove|subtract|deduct|debit|credit|charge"
    r"|extend|activate|deactivate|grant|apply|mark|record|increment|decrement|register|complete"
    r"|finalize|assign|reset|change|clear|store|upsert|purchase|buy|pay|refund|cancel|claim"
    r"|link|replace|topup|top_up|withdraw|transfer|confirm|approve|reject|close|open|issue)",
    re.I,
)
# Writes kept for the record only: an audit log, statistics, the user's last activity.
_RECORD = re.compile(r"(^|_)(log|logs|audit|history|stats?|statistics|metrics?|event|track)")
_BOOKKEEPING = re.compile(r"(token|login|consent|activity|visit|seen|notification)", re.I)
# A row marked as being worked on (`status = "processing"`) and committed so that others see
# it: the work and its result follow in a transaction of their own, by design.
_IN_PROGRESS = re.compile(r"(pending|processing|in_progress|queued|started)", re.I)
_TOUCH = re.compile(
    r"(^|_)(last_(login|activity|active|seen|visit|interaction)\w*|updated_at|modified_at)$"
)


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a node sits: guarded (a loop, an `except` handler, a `finally` block); bound: the
    `with` blocks around it as ";name@id" for the names they bind; ends: where a `return` /
    `raise` after it ends its path (fails: a `raise`); tries: the `try` bodies around it whose
    handlers swallow the error (best-effort work); tests: the names the `if` tests around it
    read; failed: those it tests for failure (`if not paid:`, `if row is None:`)."""

    guarded: bool = False
    bound: str = ""
    ends: tuple[int, int] | None = None
    fails: bool = False
    tries: tuple[int, ...] = ()
    tests: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Step:
    """kind: "commit" | "write" | "effect"; session: which session a commit ends ("name@binding",
    "" when not known); via: the project function a commit goes through ("" when direct);
    where: where a commit sits; record: a write kept for the record only."""

    kind: str
    node: ast.AST
    label: str
    session: str = ""
    via: str = ""
    where: _Where | None = None
    record: bool = False
    result: str = ""

    @property
    def at(self) -> tuple[int, int]:
        """Where it happens: a `begin()` block commits where it ends."""
        if isinstance(self.node, ast.With | ast.AsyncWith):
            return (self.node.end_lineno or 0, self.node.end_col_offset or 0)
        return (getattr(self.node, "lineno", 0), getattr(self.node, "col_offset", 0))


@dataclass(frozen=True, slots=True)
class Split:
    """Two commits of one session on one run, each after writes, nothing external between;
    `for_id`: the first commit seems to be there to read a new row's id (`flush()` would do)."""

    first: Step
    second: Step
    for_id: bool


def _at(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _swallows(node: ast.Try | ast.TryStar) -> bool:
    return bool(node.handlers) and not all(
        any(isinstance(n, ast.Raise) for n in ast.walk(h)) for h in node.handlers
    )


def _inner(node: ast.AST, field_name: str, where: _Where) -> _Where:
    """Where the children of `node` under `field_name` sit."""
    if not isinstance(node, _BLOCKS):
        return where  # an expression or a simple statement changes nothing
    guarded = where.guarded or isinstance(node, _GUARDS)
    changes: dict[str, object] = {}
    if isinstance(node, ast.With | ast.AsyncWith):
        names = [dotted_name(i.optional_vars) for i in node.items if i.optional_vars]
        changes["bound"] = where.bound + "".join(f";{n}@{id(node)}" for n in names if n)
    if isinstance(node, ast.Try | ast.TryStar):
        guarded = guarded or field_name == "finalbody"
        if field_name == "body" and _swallows(node):
            changes["tries"] = (*where.tries, id(node))
    if isinstance(node, ast.If | ast.While) and field_name != "test":
        read = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
        changes["tests"] = where.tests | read
        if field_name == "body":
            changes["failed"] = where.failed | _failure_tests(node.test)
    return replace(where, guarded=guarded, **changes)  # type: ignore[arg-type]


def _failure_tests(test: ast.expr) -> frozenset[str]:
    """`not x`, `x is None`, `x == False`: the names tested for failure."""
    found: set[str] = set()
    for node in ast.walk(test):
        operand: ast.expr | None = None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = node.operand
        elif isinstance(node, ast.Compare) and isinstance(node.comparators[0], ast.Constant):
            operand = node.left if node.comparators[0].value in (None, False) else None
        if isinstance(operand, ast.Name):
            found.add(operand.id)
    return frozenset(found)


def _context(function: FunctionNode) -> dict[int, _Where]:
    """id(node) -> where it sits; one walk of the function's own body."""
    found: dict[int, _Where] = {}
    stack: list[tuple[ast.AST, _Where]] = []

    def push_block(block: list[ast.stmt], where: _Where) -> None:
        end, fails = where.ends, where.fails
        for statement in reversed(block):
            if isinstance(statement, ast.Return | ast.Raise):
                end, fails = _at(statement), isinstance(statement, ast.Raise)
            stack.append((statement, replace(where, ends=end, fails=fails)))

    push_block(function.body, _Where())
    while stack:
        node, where = stack.pop()
        found[id(node)] = where
        if isinstance(node, _SCOPES):
            continue
        for name, value in ast.iter_fields(node):
            inner = _inner(node, name, where)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                push_block(value, inner)
            else:
                items = value if isinstance(value, list) else [value]
                stack.extend((item, inner) for item in items if isinstance(item, ast.AST))
    return found


def _binding(root: str, node: ast.AST, where: _Where, assigned: dict[str, list[int]]) -> str:
    """Which binding of `root` the node uses: the innermost `with` binding it, else the last
    assignment before the node, else the parameter (or global)."""
    for item in reversed(where.bound.split(";")):
        if item.partition("@")[0] == root:
            return item
    before = [line for line in assigned.get(root, ()) if line < _at(node)[0]]
    return f"{root}@{before[-1] if before else 'param'}"


def _assigned(function: FunctionNode) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for node in iter_body(function):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.lineno)
    return found


def _results(function: FunctionNode) -> dict[int, str]:
    """id(call) -> the name its result is assigned to (`ok = await debit(...)`)."""
    found: dict[int, str] = {}
    for node in iter_body(function):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            if isinstance(value, ast.Call):
                found[id(value)] = node.targets[0].id
    return found


def _commit_receiver(call: ast.Call, method: str = "commit") -> str | None:
    """`session.commit()` / `self.session.commit()`: the receiver's dotted name."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != method or call.args:
        return None
    receiver = dotted_name(func.value) or ""
    sessionish = is_db_receiver(call) or any(w in receiver.lower() for w in _SESSION_WORDS)
    return receiver if receiver and sessionish else None


def _begin_blocks(
    node: ast.With | ast.AsyncWith, context: dict[int, _Where], assigned: dict[str, list[int]]
) -> list[Step]:
    """`async with session.begin():` commits the session where the block ends; a session
    bound by the block (`async with maker.begin() as session:`) is a new one each time."""
    found: list[Step] = []
    where = context.get(id(node), _Where())
    for item in node.items:
        call = item.context_expr
        receiver = _commit_receiver(call, "begin") if isinstance(call, ast.Call) else None
        if receiver is not None:
            bound = f"{id(node)}" if item.optional_vars is not None else ""
            session = bound or _binding(receiver.split(".")[0], node, where, assigned)
            found.append(Step("commit", node, f"`{receiver}.begin()` block", session, "", where))
    return found


def _last(expr: ast.AST) -> str:
    return (dotted_name(expr) or "").rsplit(".", 1)[-1]


def _client_call(call: ast.Call) -> bool:
    """A method of an API client, or a call handed one (`update_panel_user(api, ...)`)."""
    func = call.func
    receiver = _last(func.value) if isinstance(func, ast.Attribute) else ""
    arguments = [_last(a) for a in (*call.args, *(k.value for k in call.keywords))]
    return any(_CLIENT.search(name) for name in (receiver, *arguments) if name)


def _no_commit(call: ast.Call) -> bool:
    """`create_transaction(..., commit=False)`: the callee is told not to commit."""
    return any(
        k.arg and "commit" in k.arg and isinstance(k.value, ast.Constant) and not k.value.value
        for k in call.keywords
    )


def _session_argument(call: ast.Call) -> str | None:
    """What a call hands a callee as its session: a session-like argument, else the object the
    method is called on (a repository holding the session)."""
    for arg in (*call.args, *(k.value for k in call.keywords)):
        name = dotted_name(arg) or ""
        if any(word in name.rsplit(".", 1)[-1].lower() for word in _ARGUMENT_WORDS):
            return name.split(".")[0]
    if isinstance(call.func, ast.Attribute):
        owner = dotted_name(call.func.value)
        return owner.split(".")[0] if owner else None
    return None


@dataclass(slots=True)
class Transactions:
    """Commit steps of project functions, with what their callees do, memoised per check."""

    code: Code
    effects: Effects
    _outside: dict[str, bool] = field(default_factory=dict)
    _commits: dict[str, bool] = field(default_factory=dict)
    _committers: frozenset[str] | None = None

    def _may_commit_twice(self, body: Body) -> bool:
        """Two calls at least that may commit: `.commit()`, `.begin()`, or a call of a name
        that a committing project function has (a cheap check before reading the body)."""
        if self._committers is None:
            self._committers = frozenset(
                name.rsplit(".", 1)[-1]
                for name, effects in self.effects.direct.items()
                if any(e.kind == "commit" for e in effects)
            )
        count = 0
        for node in iter_body(body.node):
            if isinstance(node, ast.Call):
                func = node.func
                short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                count += short in ("commit", "begin") or short in self._committers
                if count > 1:
                    return True
        return False

    def outside(self, name: str) -> bool:
        """The function reaches an effect outside the database (two calls deep)."""
        if name not in self._outside:
            self._outside[name] = self.effects.reach(name, _ELSEWHERE) is not None or any(
                isinstance(node, ast.Call) and _client_call(node)
                for body in self.code.reach(name, 2)
                for node in iter_body(body.node)
            )
        return self._outside[name]

    def commits_given_session(self, body: Body) -> bool:
        """The function commits a session it is handed — a parameter or an attribute of
        `self` — and not one it opens itself; the whole body, not in a loop or handler."""
        if body.name not in self._commits:
            node = body.node
            args = node.args
            params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
            assigned, context = _assigned(node), _context(node)
            self._commits[body.name] = any(
                (receiver := _commit_receiver(inner)) is not None
                and (root := receiver.split(".")[0]) in params
                and not (where := context[id(inner)]).guarded
                and _binding(root, inner, where, assigned) == f"{root}@param"
                for inner in iter_body(node)
                if isinstance(inner, ast.Call)
            )
        return self._commits[body.name]

    def steps(self, body: Body) -> list[Step]:
        """The commits, writes and outside effects of one function's own body, in order."""
        function = body.node
        owner = self.code.project.calls.classes.get(body.name.rsplit(".", 1)[0])
        names = callee_names(body.parsed, function, owner)
        trusted = set(self.effects.callees(body.name))
        context, assigned = _context(function), _assigned(function)
        results = _results(function)
        found: list[Step] = []
        for node in iter_body(function):
            where = context.get(id(node), _Where())
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if SQL_WRITE.match(node.value):
                    found.append(Step("write", node, "SQL write"))
                elif _IN_PROGRESS.fullmatch(node.value):
                    found.append(Step("marker", node, node.value))
            elif isinstance(node, ast.Attribute) and _IN_PROGRESS.fullmatch(node.attr):
                found.append(Step("marker", node, node.attr))
            elif isinstance(node, ast.Assign | ast.AugAssign):
                targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
                for target in targets:
                    owned = dotted_name(target.value) if isinstance(target, ast.Attribute) else ""
                    if owned and owned.split(".")[0] not in ("self", "cls"):
                        attr = getattr(target, "attr", "")
                        touch = bool(_TOUCH.match(attr))
                        found.append(Step("write", node, f"`{owned}.{attr}`", record=touch))
            if isinstance(node, ast.With | ast.AsyncWith):
                found.extend(_begin_blocks(node, context, assigned))
            if isinstance(node, ast.Call):
                steps = self._call(node, body, names, trusted, where, assigned)
                result = results.get(id(node), "")
                found.extend(replace(step, result=result) if result else step for step in steps)
        return sorted(found, key=lambda s: s.at)

    def _call(
        self,
        node: ast.Call,
        body: Body,
        names: dict[int, str],
        trusted: set[str],
        where: _Where,
        assigned: dict[str, list[int]],
    ) -> list[Step]:
        receiver = _commit_receiver(node)
        if receiver is not None:
            session = _binding(receiver.split(".")[0], node, where, assigned)
            label = f"`{receiver}.commit()`"
            return [Step("commit", node, label, session, "", where)]
        name = names.get(id(node), "")
        effect = self.effects.of_call(name, body.path) if name else None
        if (effect is not None and effect.kind in _ELSEWHERE) or _client_call(node):
            return [Step("effect", node, effect.label if effect else "an API client")]
        written = write_call(node, body.parsed.semantic)
        steps = [Step("write", node, written)] if written is not None else []
        callee = self.code.resolve(name) if name else None
        if callee is None or callee not in trusted or callee == body.name:
            return steps
        short = callee.rsplit(".", 1)[-1]
        if short != "__init__" and self.outside(callee):
            return [Step("effect", node, f"`{short}()`")]
        inner = self.code.body(callee)
        if inner is None:
            return steps
        if write_of(inner) is None:
            if "commit" in short.lower() and self.commits_given_session(inner):
                root = _session_argument(node)  # `await session_commit(session)`: a helper
                session = _binding(root, node, where, assigned) if root else ""
                steps.append(Step("commit", node, f"`{short}()`", session, "", where))
            return steps
        record = bool(_RECORD.search(short.lower()) or _BOOKKEEPING.search(short))
        steps = [Step("write", node, f"`{short}()`", record=record)]
        if _WRITER.match(short) and not _no_commit(node) and self.commits_given_session(inner):
            root = _session_argument(node)
            session = _binding(root, node, where, assigned) if root else ""
            steps.append(Step("commit", node, f"`{short}()`", session, callee, where))
        return steps

    def split(self, body: Body) -> Split | None:
        """The first split of the function's flow into two transactions, or None."""
        if not self._may_commit_twice(body):
            return None
        found = self.steps(body)
        commits = [i for i, s in enumerate(found) if s.kind == "commit"]
        where = branches(body.node) if len(commits) > 1 else {}
        flags = _flags(body.node)
        found_splits: list[Split] = []
        for n, b in enumerate(commits[1:], start=1):
            second = found[b]
            for m in range(n - 1, -1, -1):
                a = commits[m]
                first = found[a]
                if not _one_run(first, second, where, flags):
                    continue
                before = found[commits[m - 1] + 1 if m else 0 : a]
                between = found[a + 1 : b]
                if _splits(first, second, before, between):
                    for_id = _for_id(before, first, second, body.node)
                    found_splits.append(Split(first, second, for_id))
                break
        main = [f for f in found_splits if not (f.second.where and f.second.where.ends)]
        chosen = main or found_splits
        return chosen[0] if chosen else None


def _splits(first: Step, second: Step, before: list[Step], between: list[Step]) -> bool:
    """The two commits end parts of one change of one session, with nothing external between
    and something new written before each."""
    if first.session and second.session and first.session != second.session:
        return False
    if any(s.kind in ("effect", "marker") for s in (*before, *between)):
        return False  # a call out, or a row marked in progress: a deliberate split
    earlier = {s.label for s in before if isinstance(s.node, ast.Assign)}
    again = [s for s in between if s.kind == "write" and not s.record]
    repeated = [s for s in again if isinstance(s.node, ast.Assign) and s.label in earlier]
    return _business(before) and len(again) > len(repeated)


def _one_run(
    first: Step, second: Step, where: dict[int, Branch], flags: dict[str, list[int]]
) -> bool:
    """Both commits run on one path, each a part of the use case: not in a loop or handler,
    not in exclusive branches, not after a `return`, not one alone in a best-effort `try`,
    the second not under an `if` on a flag set after the first (`if not marked:`)."""
    one, two = first.where or _Where(), second.where or _Where()
    if one.guarded or two.guarded or (one.ends and one.ends < second.at):
        return False
    if exclusive(where.get(id(first.node), ()), where.get(id(second.node), ())):
        return False
    if set(one.tries) ^ set(two.tries) or (two.fails and two.ends and two.ends > second.at):
        return False  # one alone is best effort; the second records a failure, then raises
    if first.result and first.result in two.failed:
        return False  # `if not ok:` after the first: compensation for its failure
    if one.failed:
        return False  # `if role is None: create it, commit`: get-or-create of a reference row
    return not any(
        first.at[0] < line < second.at[0] for name in two.tests for line in flags.get(name, ())
    )


def _flags(function: FunctionNode) -> dict[str, list[int]]:
    """Names set to `True` / `False` -> the lines they are set on (`marked = True`)."""
    found: dict[str, list[int]] = {}
    for node in iter_body(function):
        value = node.value if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.Assign) and isinstance(value, ast.Constant):
            for target in node.targets if isinstance(value.value, bool) else ():
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.lineno)
    return found


def _business(steps: list[Step]) -> bool:
    return any(s.kind == "write" and not s.record for s in steps)


def _for_id(before: list[Step], first: Step, second: Step, function: FunctionNode) -> bool:
    """A row added before the first commit has its `.id` read between the two commits."""
    added = {
        dotted_name(s.node.args[0])
        for s in before
        if isinstance(s.node, ast.Call) and s.node.args and ".add(" in s.label
    }
    return any(
        isinstance(n, ast.Attribute)
        and n.attr == "id"
        and dotted_name(n.value) in added
        and first.at < _at(n) < second.at
        for n in iter_body(function)
    )
