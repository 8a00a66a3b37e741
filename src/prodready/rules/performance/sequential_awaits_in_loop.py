"""PERF005: independent HTTP requests awaited one after another in a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.iterations import independent_iterations, innermost_for
from prodready.analysis.project.effects import EXTERNAL, Effects
from prodready.analysis.revisit import current_function_name, walk_semantic
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
_CLIENTS = frozenset({"httpx", "aiohttp"})


def _candidates(ctx: ProjectContext, effects: Effects) -> list[str]:
    """Files that import an HTTP client, or call a function that sends a request."""
    paths = {
        f.path for f in ctx.project.facts if any(n.split(".")[0] in _CLIENTS for n in f.imports)
    }
    for name, info in ctx.project.calls.functions.items():
        if info.is_async and any(effects.reach(c, EXTERNAL, 2) for c in effects.callees(name)):
            paths.add(info.evidence.path)
    return sorted(paths)


def _via(call: ast.Call, parsed: ParsedFile, effects: Effects) -> str | None:
    """ "through `name`" when the call is to a project function that sends a request."""
    caller = current_function_name(parsed)
    func = call.func
    short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    for callee in effects.callees(caller) if caller else ():
        if callee.rsplit(".", 1)[-1] == short:
            reach = effects.reach(callee, EXTERNAL, 2)
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
            loop = innermost_for(semantic) if library else None
            if loop is None or id(loop) in seen:
                continue
            if not independent_iterations(loop, node, TELEGRAM_SEND_METHODS):
                continue
            seen.add(id(loop))
            yield ctx.finding(
                parsed,
                loop,
                f"`for {ast.unparse(loop.target)} in {ast.unparse(loop.iter)[:40]}` awaits "
                f"`{ast.unparse(node.func)}(...)` ({library}) one item at a time: the requests "
                "are independent and could run concurrently (bounded)",
            )
