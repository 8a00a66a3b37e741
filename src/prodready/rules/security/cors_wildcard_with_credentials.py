"""SEC006: CORS that allows any origin together with credentials."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import keyword

META = RuleMeta(
    id="SEC006",
    name="cors-any-origin-with-credentials",
    title="CORS allows any origin with credentials",
    dimension=Dimension.SECURITY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        '`CORSMiddleware` is configured with `allow_origins=["*"]` (or `allow_origin_regex` '
        "matching everything) and `allow_credentials=True`."
    ),
    why=(
        "Starlette answers a credentialed request from a wildcard configuration by echoing the "
        "caller's `Origin`, so *any* website a logged-in user visits can call your API with the "
        "user's cookies or auth headers and read the answers: admin panels, Mini App backends "
        "and payment pages become cross-site readable."
    ),
    fix="""List the origins that may call the API with credentials:

```python
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.org", "https://web.telegram.org"],
    allow_credentials=True,
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
)
```""",
    migration=(
        "Put the allowed origins in settings (a list per environment), deploy, and check the "
        "browser console of each real client; drop `allow_credentials` if the API authenticates "
        "with an explicit header rather than cookies."
    ),
    libraries=("fastapi", "starlette"),
    references=(
        "https://www.starlette.io/middleware/#corsmiddleware",
        "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards",
    ),
)

_CORS = frozenset(
    {"fastapi.middleware.cors.CORSMiddleware", "starlette.middleware.cors.CORSMiddleware"}
)


def _any_origin(call: ast.Call) -> bool:
    origins = keyword(call, "allow_origins")
    elements = (
        origins.value.elts if origins and isinstance(origins.value, ast.List | ast.Tuple) else []
    )
    if any(isinstance(e, ast.Constant) and e.value == "*" for e in elements):
        return True
    regex = keyword(call, "allow_origin_regex")
    return (
        regex is not None
        and isinstance(regex.value, ast.Constant)
        and regex.value.value in (".*", "^.*$", ".+", "^.+$")
    )


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    if not node.args or ctx.semantic.qualified_name(node.args[0]) not in _CORS:
        return
    credentials = keyword(node, "allow_credentials")
    allowed = (
        credentials is not None
        and isinstance(credentials.value, ast.Constant)
        and credentials.value.value is True
    )
    if allowed and _any_origin(node):
        yield ctx.finding(node, "any origin may call this API with the user's credentials")
