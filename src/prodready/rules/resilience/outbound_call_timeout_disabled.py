"""RES002: an outbound HTTP call or client whose timeout is explicitly disabled."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.bindings import origin
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import (
    HTTP_CLIENT_CLASSES,
    HTTP_CLIENT_METHODS,
    HTTP_FUNCTIONS,
    call_label,
    has_star_args,
    has_star_kwargs,
    is_none,
    keyword,
)

META = RuleMeta(
    id="RES002",
    name="outbound-call-timeout-disabled",
    title="Outbound HTTP call with its timeout disabled",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "An HTTP call or client gets `timeout=None` (`httpx.get`, `httpx.AsyncClient`, "
        "`requests.post`, `session.get` on an aiohttp / httpx / requests session), or a "
        "timeout object sets no limit: `httpx.Timeout(None)`, `aiohttp.ClientTimeout(total="
        "None)` (in aiohttp 3.x also `ClientTimeout()`)."
    ),
    why=(
        "`None` means *no limit at all*: httpx drops its 5 s defaults, aiohttp 3.x drops the "
        "session's timeout for that request, requests waits forever. A peer that accepts the "
        "connection and then stops answering (a stuck load balancer, a half-open TCP "
        "connection after a network change) holds the coroutine, its connection-pool slot and "
        "any DB session or lock it owns indefinitely. Enough of them exhaust the pool and the "
        "bot stops answering; nothing fails, so nothing is logged or retried."
    ),
    fix="""Give every outbound call a finite budget, per phase when some phases are legitimately
long (large downloads need a long read, never an infinite one):

```python
import httpx

DEFAULT = httpx.Timeout(10.0, connect=3.0)
DOWNLOAD = httpx.Timeout(10.0, connect=3.0, read=120.0)

client = httpx.AsyncClient(timeout=DEFAULT)


async def download(url: str) -> bytes:
    response = await client.get(url, timeout=DOWNLOAD)
    response.raise_for_status()
    return response.content
```

With aiohttp pass `timeout=aiohttp.ClientTimeout(total=30, connect=5)`; with requests
`timeout=(3.05, 30)`.""",
    migration=(
        "Find why the timeout was disabled (usually a long download or a long poll) and give "
        "that call its own larger, finite read timeout instead. Keep every budget below the "
        "caller's own deadline, and wrap calls that may be retried with tenacity or stamina."
    ),
    libraries=("httpx", "aiohttp", "requests", "tenacity", "stamina"),
    references=(
        "https://www.python-httpx.org/advanced/timeouts/",
        "https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts",
        "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
    ),
)

_EFFECT = {
    "httpx": "turns off httpx's 5 s timeouts: it can wait forever",
    "aiohttp": "turns off the session's timeout (aiohttp 3.x): it can wait forever",
    "requests": "can wait forever on a silent peer",
}


def _library(node: ast.Call, ctx: FileContext, name: str | None) -> str | None:
    """The library of a request function, a client built with `timeout=None`, or a request
    sent by a client whose construction or annotation the scope shows."""
    if name in HTTP_FUNCTIONS:
        return HTTP_FUNCTIONS[name]
    if name in {"httpx.AsyncClient", "httpx.Client"}:  # `aiohttp.ClientSession`: RES001
        return "httpx"
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in HTTP_CLIENT_METHODS:
        return HTTP_CLIENT_CLASSES.get(origin(func.value, ctx.semantic) or "")
    return None


def _every_limit_none(node: ast.Call) -> bool:
    values = [*node.args, *(kw.value for kw in node.keywords)]
    return not has_star_args(node) and not has_star_kwargs(node) and all(map(is_none, values))


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func)
    label = call_label(node, None)
    gives_default = bool(node.args) or keyword(node, "timeout") is not None  # all four phases
    if name == "httpx.Timeout" and gives_default and _every_limit_none(node):
        yield ctx.finding(node, f"`{label}` with only `None` disables every httpx timeout")
    elif name in {"aiohttp.ClientTimeout", "aiohttp.client.ClientTimeout"}:
        if _every_limit_none(node) and keyword(node, "total") is not None:
            yield ctx.finding(node, f"`{label}` with `total=None` and no other limit waits forever")
        elif _every_limit_none(node) and not node.args and not node.keywords:
            message = f"`{ast.unparse(node)}` sets no limit at all in aiohttp 3.x"
            yield ctx.finding(node, message, confidence=Confidence.MEDIUM)
    elif (timeout := keyword(node, "timeout")) is not None and is_none(timeout.value):
        library = _library(node, ctx, name)
        if library is not None:
            effect = _EFFECT[library]
            yield ctx.finding(node, f"`{label}` with `timeout=None` {effect}")
