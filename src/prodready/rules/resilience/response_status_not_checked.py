"""RES007: the body of an HTTP response used without looking at its status."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.responses import (
    BODY_READS,
    bound_libraries,
    client_raises,
    first_body_read,
    request_library,
    status_checked,
)

META = RuleMeta(
    id="RES007",
    name="response-status-not-checked",
    title="HTTP response body used without checking the status",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The body of a response from an httpx / aiohttp / requests client is read (`.json()`, "
        "`.text`, `.content`, `.read()`) and nothing in the function looks at its status: no "
        "`raise_for_status()`, no test of `status` / `status_code` / `ok` / `is_success`, and "
        "the session does not raise by itself (`aiohttp.ClientSession(raise_for_status=True)`, "
        "httpx `event_hooks`)."
    ),
    why=(
        "None of these clients raises on an error status by default. A 429, 500 or 503 from a "
        "payment or partner API comes back as an ordinary response: its error JSON is read as "
        "if it were the answer (`data['result']` → `KeyError` far from the cause, or worse, an "
        "`{'status': 'error'}` taken for a paid invoice), an HTML error page from a proxy makes "
        "`.json()` fail with a decoding error, and retry policies that trigger on HTTP errors "
        "never see one, so transient failures are not retried."
    ),
    fix="""Check the status before using the body (or let the client raise for you):

```python
import httpx
import stamina

client = httpx.AsyncClient(base_url="https://api.partner.example", timeout=10.0)


@stamina.retry(on=httpx.HTTPError, attempts=3)
async def invoice_status(invoice_id: str) -> str:
    response = await client.get(f"/invoices/{invoice_id}")
    response.raise_for_status()  # httpx: raises HTTPStatusError for every non-2xx
    return response.json()["status"]
```

httpx's `raise_for_status()` also raises for 1xx and 3xx (redirects are not followed by
default), aiohttp's and requests' only for 400 and above. With aiohttp you can make the
session raise for every request: `aiohttp.ClientSession(raise_for_status=True)`.""",
    migration=(
        "Add `raise_for_status()` right after each request (or configure it once on the "
        "session / `event_hooks={'response': [...]}` for httpx), and decide per API which "
        "statuses are expected answers (404 for a missing invoice) and test those explicitly "
        "before raising. Retry only on the transient ones (429, 5xx) with tenacity or stamina."
    ),
    libraries=("httpx", "aiohttp", "requests", "stamina", "tenacity"),
    references=(
        "https://www.python-httpx.org/api/#response",
        "https://docs.aiohttp.org/en/stable/client_reference.html#aiohttp.ClientResponse.raise_for_status",
        "https://requests.readthedocs.io/en/latest/api/#requests.Response.raise_for_status",
    ),
)

_HINT = {
    "httpx": "`raise_for_status()` (httpx raises for any non-2xx, 1xx/3xx included)",
    "aiohttp": "`raise_for_status()` (≥ 400) or `ClientSession(raise_for_status=True)`",
    "requests": "`raise_for_status()` (400-599)",
}


@file_rule(META, on=(ast.Attribute,))
def check(node: ast.Attribute, ctx: FileContext) -> Iterator[Finding]:
    if node.attr not in BODY_READS:
        return
    receiver = node.value
    function = ctx.semantic.enclosing_function()
    if isinstance(receiver, ast.Await | ast.Call):
        library = request_library(receiver, ctx.semantic)  # `(await client.get(url)).json()`
        shown = "the response"
    elif isinstance(receiver, ast.Name) and function is not None:
        libraries = bound_libraries(receiver.id, function, ctx.semantic)
        library = libraries.pop() if len(libraries) == 1 else None
        if library is None or first_body_read(receiver.id, function) is not node:
            return
        if status_checked(receiver.id, function):
            return
        shown = f"`{receiver.id}`"
    else:
        return
    root = ctx.semantic.ancestors[0] if ctx.semantic.ancestors else node
    if library is None or client_raises(root, ctx.semantic):
        return
    yield ctx.finding(
        node,
        f"`.{node.attr}` reads the body of {shown} ({library}) without checking its status: "
        f"an error response is used as data; call {_HINT[library]}",
    )
