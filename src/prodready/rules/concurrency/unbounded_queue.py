"""ASY014: an asyncio queue with no maxsize between producers and consumers."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.walk import walk_with_ancestors
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import has_star_args, has_star_kwargs, keyword

META = RuleMeta(
    id="ASY014",
    name="unbounded-queue",
    title="asyncio queue without a maxsize between producers and consumers",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "An `asyncio.Queue()` (or `LifoQueue` / `PriorityQueue`) is created with no positive "
        "`maxsize` — `maxsize` ≤ 0 means unbounded — and the same module keeps putting work into "
        "it from handlers or a loop."
    ),
    why=(
        "`put()` on an unbounded queue never waits, so nothing slows the producers down when "
        "the consumers fall behind (a slow partner API, a broadcast of 100,000 messages, a "
        "burst of webhooks): the backlog grows in memory until the process is killed for it, "
        "and everything queued is lost with it. Latency grows with the backlog and nobody "
        "notices until users do."
    ),
    fix="""Bound the queue, so that producers wait (or shed load) when consumers fall behind:

```python
import asyncio
import logging

log = logging.getLogger(__name__)
jobs: asyncio.Queue[int] = asyncio.Queue(maxsize=1000)


async def enqueue(order_id: int) -> bool:
    try:
        jobs.put_nowait(order_id)  # or `await jobs.put(...)` to wait for room
    except asyncio.QueueFull:
        log.warning("order queue full, order %s rejected", order_id)
        return False
    return True
```""",
    migration=(
        "Pick a maxsize from the consumers' throughput times the delay you accept, decide what "
        "a full queue means (wait with `await put()`, or reject with `put_nowait` + "
        "`QueueFull`), and export the queue size as a metric. Work that must survive restarts "
        "belongs in a persistent queue (arq, taskiq, Celery), not in memory."
    ),
    libraries=("arq", "taskiq", "prometheus-client"),
    references=(
        "https://docs.python.org/3/library/asyncio-queue.html#asyncio.Queue",
        "https://docs.python.org/3/library/asyncio-queue.html#asyncio.Queue.put_nowait",
    ),
)

_QUEUES = frozenset(
    {
        f"asyncio.{module}{kind}"
        for module in ("", "queues.")
        for kind in ("Queue", "LifoQueue", "PriorityQueue")
    }
)
_PUTS = frozenset({"put", "put_nowait"})


def _unbounded(call: ast.Call) -> bool:
    if has_star_args(call) or has_star_kwargs(call):
        return False
    given = keyword(call, "maxsize")
    size = given.value if given is not None else (call.args[0] if call.args else None)
    if size is None:
        return True
    if isinstance(size, ast.UnaryOp) and isinstance(size.op, ast.USub):
        return isinstance(size.operand, ast.Constant)
    return isinstance(size, ast.Constant) and isinstance(size.value, int) and size.value <= 0


def _target(parent: ast.AST | None) -> ast.expr | None:
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        return parent.targets[0]
    if isinstance(parent, ast.AnnAssign):
        return parent.target
    return None


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_LONG_LIVED = (ast.While, ast.For, ast.AsyncFor, *_DEFS)
_ENDLESS = (ast.While, ast.AsyncFunctionDef, ast.Lambda)


def _producer(scope: ast.AST, name: str, local: bool) -> bool:
    """True when `name.put(...)` / `name.put_nowait(...)` runs in a function or a loop; for a
    queue local to one function, in a `while` loop or a nested callback (no natural end)."""
    ancestors: list[ast.AST] = []
    kinds = _ENDLESS if local else _LONG_LIVED
    for node in walk_with_ancestors(scope, ancestors):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr in _PUTS:
            inside = ancestors[1:] if local else ancestors
            if dotted_name(func.value) == name and any(isinstance(a, kinds) for a in inside):
                return True
    return False


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    kind = ctx.semantic.qualified_name(node.func)
    if kind not in _QUEUES or not _unbounded(node):
        return
    target = _target(ctx.semantic.parent)
    name = dotted_name(target) if target is not None else None
    root = ctx.semantic.ancestors[0] if ctx.semantic.ancestors else None
    if name is None or root is None:
        return
    function = ctx.semantic.enclosing_function()
    local = function is not None and not name.startswith("self.")
    if not _producer(function if local and function is not None else root, name, local):
        return
    yield ctx.finding(
        node,
        f"`{name}` is an unbounded `{kind.rsplit('.', 1)[-1]}`: producers never wait, the "
        "backlog grows in memory when consumers fall behind",
    )
