"""PERF005: independent HTTP requests awaited one after another in a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.project.effects import EXTERNAL, Effects
from prodready.analysis.revisit import current_function_name, walk_semantic
from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.outbound import TELEGRAM_SEND_METHODS, http_request_library

META = RuleMeta(
    id="PERF005",
    name="sequential-awaits-in-loop",
    title="Independent requests awaited one at a time in a loop",
    dimension=Dimension.PERFORMANCE,
    severity=Severity.MINOR,
    confidence=Confidence.LOW,
    what=(
        "A `for` loop over a collection awaits an HTTP request per item, and the items do not "
        "depend on each other: no `break` / `return` in the loop, no value carried from one "
        "iteration to the next, no other `self` state built in order, no pacing "
        "(`asyncio.sleep`, a limiter), no Telegram send (rate-limited) and no database work "
        "(one session is not safe across concurrent tasks). Loops over `range(...)` "
        "(retries, pages) are not reported."
    ),
    why=(
        "Each iteration waits a full round trip before the next starts: ten servers at 300 "
        "ms each make the user wait three seconds, and one slow server delays all the "
        "others. The event loop is idle meanwhile. Run concurrently, the same work takes as "
        "long as the slowest request."
    ),
    fix="""Run the independent requests concurrently, bounded so a long list does not flood the
API (keep them sequential where the API's rate limit or ordering requires it):

```python
import asyncio

import httpx

LIMIT = asyncio.Semaphore(10)


async def fetch_status(client: httpx.AsyncClient, url: str) -> int:
    async with LIMIT:
        response = await client.get(url)
        return response.status_code


async def statuses(client: httpx.AsyncClient, urls: list[str]) -> list[int]:
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch_status(client, url)) for url in urls]
    return [task.result() for task in tasks]
```""",
    migration=(
        "Extract the loop body into a coroutine per item, start them in an "
        "`asyncio.TaskGroup` (Python 3.11+) or `asyncio.gather(..., return_exceptions=True)` "
        "when partial failure is acceptable, and bound concurrency with a semaphore or "
        "aiolimiter sized to the provider's limits."
    ),
    libraries=("anyio", "aiolimiter"),
    references=(
        "https://docs.python.org/3/library/asyncio-task.html#task-groups",
        "https://aiolimiter.readthedocs.io/en/latest/",
    ),
)
_COMMITS = frozenset({"commit"})
_EXTERNAL = EXTERNAL
_CLIENTS = frozenset({"httpx", "aiohttp"})
_FALLBACKS = 3
_PACING = ("sleep", "limiter", "throttl", "semaphore", "rate")
_DB = frozenset({"commit", "execute", "flush", "add", "scalars", "scalar", "refresh"})
_STOPS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.While)


def _loop(semantic: SemanticModel) -> ast.For | ast.AsyncFor | None:
    """The innermost loop of the current function whose body holds the current node."""
    for node in reversed(semantic.ancestors):
        if isinstance(node, _STOPS):
            return None
        if isinstance(node, ast.For | ast.AsyncFor):
            return node
    return None


def _carried(loop: ast.For | ast.AsyncFor) -> set[str]:
    """Names the body reads before it assigns them: state carried from the last item (a
    counter updated with `+=` is not: the order of additions does not matter)."""
    augmented = {
        n.target.id
        for s in loop.body
        for n in ast.walk(s)
        if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
    }
    first_read: dict[str, int] = {}
    first_store: dict[str, int] = {}
    for node in (n for s in loop.body for n in ast.walk(s)):
        if isinstance(node, ast.Name) and node.id not in augmented:
            book = first_read if isinstance(node.ctx, ast.Load) else first_store
            book.setdefault(node.id, node.lineno)
    return {n for n, line in first_read.items() if n in first_store and first_store[n] >= line}


def _independent(loop: ast.For | ast.AsyncFor, call: ast.Call) -> bool:
    iterable = loop.iter
    if isinstance(iterable, ast.Call) and dotted_name(iterable.func) == "range":
        return False
    if isinstance(iterable, ast.Tuple | ast.List) and len(iterable.elts) <= _FALLBACKS:
        return False  # `for url in (primary, backup):` tries alternatives in order
    nodes = [n for s in loop.body for n in ast.walk(s)]
    if any(isinstance(n, ast.Break | ast.Return | ast.Yield | ast.YieldFrom) for n in nodes):
        return False
    words = " ".join(
        (dotted_name(n) or "").lower() for n in nodes if isinstance(n, ast.Name | ast.Attribute)
    )
    if any(p in words for p in _PACING):
        return False
    methods = {
        n.func.attr for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    if methods & (_DB | TELEGRAM_SEND_METHODS):
        return False
    return not _carried(loop) and not _changes_self(nodes, call)


def _changes_self(nodes: list[ast.AST], call: ast.Call) -> bool:
    """The body assigns `self.x` or calls other `self` methods: object state built in order."""
    for node in nodes:
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        if any((dotted_name(t) or "").startswith("self.") for t in targets):
            return True
        if (
            isinstance(node, ast.Call)
            and node is not call
            and (dotted_name(node.func) or "").startswith("self.")
        ):
            return True
    return False


def _candidates(ctx: ProjectContext, effects: Effects) -> list[str]:
    """Files that import an HTTP client, or call a function that sends a request."""
    paths = {
        f.path for f in ctx.project.facts if any(n.split(".")[0] in _CLIENTS for n in f.imports)
    }
    for name, info in ctx.project.calls.functions.items():
        if info.is_async and any(effects.reach(c, _EXTERNAL, 2) for c in effects.callees(name)):
            paths.add(info.evidence.path)
    return sorted(paths)


def _via(call: ast.Call, parsed: ParsedFile, effects: Effects) -> str | None:
    """ "through `name`" when the call is to a project function that sends a request."""
    caller = current_function_name(parsed)
    func = call.func
    short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    for callee in effects.callees(caller) if caller else ():
        if callee.rsplit(".", 1)[-1] == short:
            reach = effects.reach(callee, _EXTERNAL, 2)
            if reach is not None and effects.reach(callee, _COMMITS, 2) is None:
                return f"{reach.effect.label} in `{short}`"
    return None


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    seen: set[int] = set()
    effects = Effects(ctx.project)
    for path in _candidates(ctx, effects):
        parsed = ctx.file(path)
        for node in walk_semantic(parsed) if parsed is not None else ():
            if not isinstance(node, ast.Call) or parsed is None:
                continue
            semantic = parsed.semantic
            awaited = isinstance(semantic.parent, ast.Await | ast.withitem)
            if not awaited or not semantic.in_async_function():
                continue
            library = http_request_library(node, semantic) or _via(node, parsed, effects)
            loop = _loop(semantic) if library else None
            if loop is None or id(loop) in seen or not _independent(loop, node):
                continue
            seen.add(id(loop))
            yield ctx.finding(
                parsed,
                loop,
                f"`for {ast.unparse(loop.target)} in {ast.unparse(loop.iter)[:40]}` awaits "
                f"`{ast.unparse(node.func)}(...)` ({library}) one item at a time: the requests "
                "are independent and could run concurrently (bounded)",
            )
