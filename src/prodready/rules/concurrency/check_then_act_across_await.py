"""ASY013: a membership check on shared state, an `await`, then the write the check guarded."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.bindings import binding_scope
from prodready.analysis.check_then_act import (
    consume_after_await,
    guards_by_leaving,
    membership_check,
    write_after_await,
)
from prodready.analysis.names import dotted_name
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import mutable_container_kind

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


def _shared(container: ast.expr, ctx: FileContext) -> bool:
    """A module-level container, or an attribute of the method's `self`."""
    if isinstance(container, ast.Name):
        value = ctx.semantic.module_value(container.id)
        scope = binding_scope(container.id, ctx.semantic)
        kind = mutable_container_kind(value, ctx.semantic.qualified_name) if value else None
        return kind is not None and isinstance(scope, ast.Module)
    return isinstance(container, ast.Attribute) and dotted_name(container.value) == "self"


def _under_lock(ctx: FileContext) -> bool:
    for ancestor in ctx.semantic.ancestors:
        if isinstance(ancestor, ast.With | ast.AsyncWith):
            text = " ".join(ast.unparse(item.context_expr) for item in ancestor.items).lower()
            if any(word in text for word in _LOCKISH):
                return True
    return False


@file_rule(META, on=(ast.If,))
def check(node: ast.If, ctx: FileContext) -> Iterator[Finding]:
    found = membership_check(node.test)
    if found is None or not ctx.semantic.in_async_function():
        return
    container, key = found
    name = dotted_name(container)
    if name is None or not _shared(container, ctx) or _under_lock(ctx):
        return
    verb, acted = "written", write_after_await(node.body, name, ast.dump(key))
    if acted is None and guards_by_leaving(node):
        verb, acted = "used up", consume_after_await(_after(node, ctx), name, ast.dump(key))
    if acted is None:
        return
    write, work = acted
    shown = ast.unparse(key)[:30]
    both = f" and both run `{work}`" if work else ""
    yield ctx.finding(
        node,
        f"`{name}` is checked for `{shown}`, then {verb} on line {getattr(write, 'lineno', '?')}"
        f" after an `await`: two tasks can both pass the check{both}",
    )


def _after(node: ast.If, ctx: FileContext) -> list[ast.stmt]:
    """The statements that follow `node` in its block."""
    parent = ctx.semantic.parent
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is node for s in block):
            return block[[id(s) for s in block].index(id(node)) + 1 :]
    return []
