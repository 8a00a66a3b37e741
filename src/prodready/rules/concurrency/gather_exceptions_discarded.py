"""ASY010: `gather(..., return_exceptions=True)` whose results nobody looks at."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import keyword

META = RuleMeta(
    id="ASY010",
    name="gather-exceptions-discarded",
    title="asyncio.gather(return_exceptions=True) with its results discarded",
    dimension=Dimension.CONCURRENCY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "`await asyncio.gather(..., return_exceptions=True)` is used as a statement: the list it "
        "returns — which holds every exception raised by the awaited coroutines — is thrown away."
    ),
    why=(
        "With `return_exceptions=True` failures are returned, not raised. Discarding the result "
        "silently drops every error: a broadcast that reached half the users, a batch of refunds "
        "that partly failed or a sync job that never ran all look like success, with nothing in "
        "the logs or in Sentry."
    ),
    fix="""Inspect the results and log (or re-raise) the failures, or use a TaskGroup:

```python
import asyncio
import logging

log = logging.getLogger(__name__)


async def notify_all(bot, user_ids: list[int], text: str) -> None:
    results = await asyncio.gather(
        *(bot.send_message(uid, text) for uid in user_ids), return_exceptions=True
    )
    for uid, result in zip(user_ids, results):
        if isinstance(result, Exception):
            log.error("notify failed", extra={"user_id": uid}, exc_info=result)
```

When any failure should stop the batch, `async with asyncio.TaskGroup() as tg:` raises an
`ExceptionGroup` instead.""",
    migration=(
        "Assign the result, log each exception with its context (structlog or `logging` with "
        "`exc_info`), and count failures in a metric so partial failures become visible."
    ),
    libraries=("structlog", "sentry-sdk"),
    references=("https://docs.python.org/3/library/asyncio-task.html#asyncio.gather",),
)


def _starts_work(arguments: list[ast.expr]) -> bool:
    """True when gather runs new coroutines (calls), not tasks that already exist.

    `gather(*tasks, return_exceptions=True)` after cancelling them is the accepted way to
    wait for background tasks at shutdown; their errors belong to their own callbacks.
    """
    for argument in arguments:
        inner = argument.value if isinstance(argument, ast.Starred) else argument
        if isinstance(inner, ast.GeneratorExp | ast.ListComp):
            inner = inner.elt
        if isinstance(inner, ast.Call):
            return True
    return False


@file_rule(META, on=(ast.Expr,))
def check(node: ast.Expr, ctx: FileContext) -> Iterator[Finding]:
    value = node.value.value if isinstance(node.value, ast.Await) else node.value
    if not isinstance(value, ast.Call) or not _starts_work(value.args):
        return
    if ctx.semantic.qualified_name(value.func) != "asyncio.gather":
        return
    flag = keyword(value, "return_exceptions")
    if flag is not None and isinstance(flag.value, ast.Constant) and flag.value.value is True:
        yield ctx.finding(node, "results of `gather(return_exceptions=True)` are discarded")
