"""Which configuration entries hold a real secret: a Telegram bot token, a well-known live
key, a password inside a connection URL, or a secret-named key with a value that is not a
placeholder, a reference (`${VAR}`) or a trivial development default."""

from __future__ import annotations

import re
from dataclasses import dataclass

from prodready.analysis.config_files import Entry
from prodready.rules.matchers import find_bot_token, looks_like_secret, mask_bot_token

# Key shapes that are live credentials wherever they appear.
_LIVE_KEYS = (
    ("a Stripe live key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}")),
    ("an AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[0-9A-Za-z]{36}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
)
_URL_PASSWORD = re.compile(r"^[a-z][\w+.-]*://[^:/@\s]+:(?P<password>[^@\s]+)@", re.I)
_REFERENCE = re.compile(r"^\$\{?\w+|\{\{.*\}\}|^<.*>$|^%\(|^!ENV|^(env|vault|secret|ssm):", re.I)
_PLACEHOLDER = re.compile(
    r"^(your|my|put|insert|enter|paste|add|set|replace|change)[\s_-]|example|changeme|change_me|"
    r"placeholder|dummy|fake|sample|xxx|\*\*\*|todo|tbd|^none$|^null$|^undefined$|here$|"
    r"^\.\.\.$|^(secret|password|passwd|token|key|api_key|test|dev|local)$",
    re.I,
)
_TRIVIAL = frozenset(
    {"postgres", "password", "pass", "root", "admin", "user", "secret", "guest", "mysql"}
    | {"123456", "12345678", "qwerty", "default", "redis", "rabbitmq", "minio", "minioadmin"}
)
_MIN_LENGTH = 8


@dataclass(frozen=True, slots=True)
class Secret:
    """what: how the report names it (the value is never shown); token: a bot token."""

    what: str
    token: bool = False


def _key(key: str) -> str:
    return re.split(r"[.:]|__", key.replace("-", "_"))[-1].lower()


def _real(value: str) -> bool:
    if len(value) < _MIN_LENGTH or len(set(value)) < 5 or value.lower() in _TRIVIAL:
        return False
    if value.isdigit() or "${" in value:
        return False  # a number, or a `${VAR:-default}` interpolation
    return not (_REFERENCE.search(value) or _PLACEHOLDER.search(value))


def secret_in(entry: Entry, example: bool) -> Secret | None:
    """The secret an entry holds, None when none. In a template (`.env.example`) only values
    shaped like real credentials count."""
    value = entry.value
    token = find_bot_token(value)
    if token is not None:
        return Secret(f"`{entry.key}` holds a Telegram bot token ({mask_bot_token(token)})", True)
    for what, shape in _LIVE_KEYS:
        if shape.search(value):
            return Secret(f"`{entry.key}` holds {what}")
    if example:
        return None
    url = _URL_PASSWORD.match(value)
    if url is not None and "${" not in value and _real(url["password"]):
        return Secret(f"`{entry.key}` holds a connection URL with its password")
    if looks_like_secret(_key(entry.key)) and _real(value) and not value.startswith(("http", "/")):
        return Secret(f"`{entry.key}` holds a {len(value)}-character secret")
    return None
