"""ASY013: a membership check on shared state, an `await`, then the write the check guarded."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.bindings import binding_scope
from prodready.analysis.names import dotted_name
from prodready.analysis.walk import iter_subtree
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import is_none, mutable_container_kind

META = RuleMeta(
    id="ASY013",
    name="check-then-act-across-await",
    title="Check-then-act on shared state across an await",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "`if key not in shared:` (or `if not shared.get(key)` / `shared.get(key) is None`) on a "
        "module-level container or a `self.` attribute, then an `await`, then `shared[key] = "
        "...` in the same branch: the check and the write are separated by a suspension point."
    ),
    why=(
        "asyncio switches tasks at every `await`. Two updates for the same user (a double tap, "
        "a retried webhook) both see the key missing, both run the awaited work — two invoices "
        "created, two trials granted, two sessions opened — and the second write silently "
        "replaces the first. The code looks atomic because it has no threads; it is not."
    ),
    fix="""Make check and write one step: claim the key before awaiting, or hold a per-key lock:

```python
import asyncio
from collections import defaultdict

INVOICES: dict[int, str] = {}
LOCKS: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)


async def invoice_for(user_id: int, create_invoice) -> str:
    async with LOCKS[user_id]:  # the second caller waits, then sees the stored invoice
        if user_id not in INVOICES:
            INVOICES[user_id] = await create_invoice(user_id)
        return INVOICES[user_id]
```

For state shared between processes use the database (a unique constraint and
`INSERT ... ON CONFLICT DO NOTHING`) or Redis `SET key value NX`.""",
    migration=(
        "For caches, store the in-flight `asyncio.Task` (or use `async-lru` / `aiocache`, which "
        "coalesce concurrent misses); for business state (payments, grants), move the check "
        "into the database with a unique constraint or `SELECT ... FOR UPDATE`, so that it "
        "also holds with several workers."
    ),
    libraries=("async-lru", "aiocache", "redis"),
    references=(
        "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock",
        "https://redis.io/docs/latest/commands/set/",
    ),
)

_LOCKISH = ("lock", "semaphore", "mutex")
# Awaited work that only reads: two tasks doing it twice waste a call, nothing more.
_READS = re.compile(r"_?(get|fetch|load|read|find|lookup|list|query|search|count|sleep)(_|$)")


def _checked(test: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(container, key) of `key not in c`, `not c.get(key)`, `c.get(key) is None`."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, right = test.ops[0], test.comparators[0]
        if isinstance(op, ast.NotIn):
            return right, test.left
        if isinstance(op, ast.Is) and is_none(right):
            test = ast.UnaryOp(op=ast.Not(), operand=test.left)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        call = test.operand
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args:
            return (call.func.value, call.args[0]) if call.func.attr == "get" else None
    return None


def _shared(container: ast.expr, ctx: FileContext) -> bool:
    """A module-level container, or an attribute of the method's `self`."""
    if isinstance(container, ast.Name):
        value = ctx.semantic.module_value(container.id)
        scope = binding_scope(container.id, ctx.semantic)
        kind = mutable_container_kind(value, ctx.semantic.qualified_name) if value else None
        return kind is not None and isinstance(scope, ast.Module)
    return isinstance(container, ast.Attribute) and dotted_name(container.value) == "self"


def _writes(node: ast.AST, container: str, key: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    for target in targets:
        if isinstance(target, ast.Subscript) and ast.dump(target.slice) == key:
            return dotted_name(target.value) == container
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        first = node.value.args[0] if node.value.args else None
        if isinstance(func, ast.Attribute) and func.attr in {"add", "setdefault"} and first:
            return dotted_name(func.value) == container and ast.dump(first) == key
    return False


def _awaited_work(node: ast.AST) -> str | None:
    """The name of what an `await` runs (`payments.create_invoice`); "" when not a call."""
    if isinstance(node, ast.Await):
        call = node.value
        return (dotted_name(call.func) or "") if isinstance(call, ast.Call) else ""
    return "" if isinstance(node, ast.AsyncWith | ast.AsyncFor) else None


def _write_after_await(
    body: list[ast.stmt], container: str, key: str
) -> tuple[ast.AST, str] | None:
    """The first write of `container[key]` in `body` and the work awaited before it, when
    that work may change something (two reads of the same thing are only wasted work)."""
    awaited: list[str] = []
    for statement in body:
        for node in iter_subtree(statement, same_scope=True):
            if _writes(node, container, key):
                awaited += [w for n in iter_subtree(node) if (w := _awaited_work(n)) is not None]
                acting = [w for w in awaited if not _READS.match(w.rsplit(".", 1)[-1])]
                return (node, acting[0]) if acting else None
            work = _awaited_work(node)
            if work is not None:
                awaited.append(work)
    return None


def _under_lock(ctx: FileContext) -> bool:
    for ancestor in ctx.semantic.ancestors:
        if isinstance(ancestor, ast.With | ast.AsyncWith):
            text = " ".join(ast.unparse(item.context_expr) for item in ancestor.items).lower()
            if any(word in text for word in _LOCKISH):
                return True
    return False


@file_rule(META, on=(ast.If,))
def check(node: ast.If, ctx: FileContext) -> Iterator[Finding]:
    found = _checked(node.test)
    if found is None or not ctx.semantic.in_async_function():
        return
    container, key = found
    name = dotted_name(container)
    if name is None or not _shared(container, ctx) or _under_lock(ctx):
        return
    acted = _write_after_await(node.body, name, ast.dump(key))
    if acted is None:
        return
    write, work = acted
    shown = ast.unparse(key)[:30]
    both = f" and both run `{work}`" if work else ""
    yield ctx.finding(
        node,
        f"`{name}` is checked for `{shown}`, then written on line {getattr(write, 'lineno', '?')} "
        f"after an `await`: two tasks can both pass the check{both}",
    )
