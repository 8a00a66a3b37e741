"""ASY005: an asyncio lock or semaphore created inside the function that uses it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.walk import iter_body
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="ASY005",
    name="lock-created-per-call",
    title="asyncio lock or semaphore created per call protects nothing",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "An `asyncio.Lock()` / `Semaphore()` / `BoundedSemaphore()` is created inside a function "
        "and only used there (`async with lock:`), so every call gets its own fresh lock."
    ),
    why=(
        "Two concurrent calls each acquire their own lock and run the critical section at the "
        "same time: the code looks protected against double payments or double grants and is "
        "not. A semaphore meant to cap concurrency caps nothing."
    ),
    fix="""Create the lock once, where every caller shares it (per key when it guards a resource):

```python
import asyncio
from collections import defaultdict

USER_LOCKS: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)


async def grant(user_id: int) -> None:
    async with USER_LOCKS[user_id]:
        await extend_subscription(user_id)
```

An in-process lock only protects one process: with several workers use a database row lock
(`select(...).with_for_update()`) or a Redis lock (`redis.asyncio.lock.Lock`).""",
    migration=(
        "Move the lock to the object or module that outlives the calls (an attribute set in "
        "`__init__`, or a module-level per-key mapping); for correctness across workers move "
        "the guarantee into the database (row lock or unique constraint)."
    ),
    libraries=("redis", "sqlalchemy"),
    references=(
        "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock",
        "https://redis.readthedocs.io/en/stable/lock.html",
    ),
)

_PRIMITIVES = frozenset({"asyncio.Lock", "asyncio.Semaphore", "asyncio.BoundedSemaphore"})
_LOCK_METHODS = frozenset({"acquire", "release", "locked"})


def _only_used_locally(name: str, body: list[ast.AST]) -> bool:
    """True when every use of `name` is `async with name` or `name.acquire()`-like."""
    allowed: set[int] = set()
    for node in body:
        if isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Name):
            allowed.add(id(node.context_expr))
        elif isinstance(node, ast.Attribute) and node.attr in _LOCK_METHODS:
            allowed.add(id(node.value))
    uses = [n for n in body if isinstance(n, ast.Name) and n.id == name]
    loads = [n for n in uses if isinstance(n.ctx, ast.Load)]
    return bool(loads) and all(id(n) in allowed for n in loads)


def _captured(name: str, function: ast.AST) -> bool:
    """True when a nested function or lambda refers to `name` (the lock is shared)."""
    scopes = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    nested = [n for n in ast.walk(function) if n is not function and isinstance(n, scopes)]
    return any(isinstance(n, ast.Name) and n.id == name for s in nested for n in ast.walk(s))


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    function = ctx.semantic.enclosing_function()
    if name not in _PRIMITIVES or function is None:
        return
    short = name.rsplit(".", 1)[-1]
    parent = ctx.semantic.parent
    if isinstance(parent, ast.withitem):
        yield ctx.finding(node, f"`async with {short}()` locks a brand-new {short}: no exclusion")
        return
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1):
        return
    target = parent.targets[0]
    if not isinstance(target, ast.Name):
        return
    body = list(iter_body(function))
    if _only_used_locally(target.id, body) and not _captured(target.id, function):
        yield ctx.finding(
            node, f"`{target.id} = {short}()` is new on every call of `{function.name}`"
        )
