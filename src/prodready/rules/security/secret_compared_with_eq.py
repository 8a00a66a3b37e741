"""SEC004: a secret, token or signature compared with `==` instead of a constant-time check."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.provenance import comes_from_request
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import looks_like_secret

META = RuleMeta(
    id="SEC004",
    name="secret-compared-with-eq",
    title="Secret or signature compared with == instead of hmac.compare_digest",
    dimension=Dimension.SECURITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A webhook secret, API token or computed signature (`hmac...hexdigest()`) is checked "
        "with `==` / `!=` against a value from the request."
    ),
    why=(
        "`==` on strings returns as soon as a character differs, so the response time leaks how "
        "much of a guess was right; with enough requests an attacker recovers the secret byte "
        "by byte and can forge Telegram updates or payment-provider callbacks. It is also the "
        "pattern reviewers and auditors flag first on payment code."
    ),
    fix="""Compare secrets in constant time:

```python
import hashlib
import hmac


def valid_signature(secret: bytes, body: bytes, received: str) -> bool:
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received)


def valid_telegram_secret(expected_secret: str, header_value: str | None) -> bool:
    return header_value is not None and hmac.compare_digest(expected_secret, header_value)
```""",
    migration=(
        "Replace each comparison with `hmac.compare_digest(a, b)` (both `str` or both `bytes`); "
        "guard a missing header first. Prefer the framework's own check where it exists "
        "(aiogram's `SimpleRequestHandler(secret_token=...)`, PTB's "
        "`run_webhook(secret_token=...)`)."
    ),
    references=(
        "https://docs.python.org/3/library/hmac.html#hmac.compare_digest",
        "https://core.telegram.org/bots/api#setwebhook",
    ),
)

_DIGESTS = frozenset({"hexdigest", "digest"})


def _secret_operand(node: ast.expr) -> str | None:
    """A short text for an operand that holds a secret, or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _DIGESTS:
            return f"{node.func.attr}()"
        if node.func.attr == "get_secret_value":
            return dotted_name(node.func.value) or "get_secret_value()"
        return None
    name = dotted_name(node)
    if name is not None and looks_like_secret(name):
        return name
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        if isinstance(key, str) and looks_like_secret(key.replace("-", "_")):
            return key
    return None


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (isinstance(node, ast.JoinedStr) and not node.values)


@file_rule(META, on=(ast.Compare,))
def check(node: ast.Compare, ctx: FileContext) -> Iterator[Finding]:
    """Reported when a secret is compared with something a caller controls (or a computed
    digest): only then can response timing leak it. Business checks between two values the
    service holds (`token == config.TOKEN` for a token an admin typed) stay silent."""
    if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
        return
    left, right = node.left, node.comparators[0]
    if _literal(left) or _literal(right):
        return
    fn = ctx.semantic.enclosing_function()
    for secret, other in ((left, right), (right, left)):
        shown = _secret_operand(secret)
        if shown is None:
            continue
        digest = shown.endswith("digest()")
        if digest or comes_from_request(other, fn) or comes_from_request(secret, fn):
            yield ctx.finding(node, f"`{shown}` compared with `==`: use `hmac.compare_digest`")
            return
