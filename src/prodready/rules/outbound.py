"""Which calls leave the process: HTTP requests on known clients, provider SDK calls, and
Telegram sends. Shared by the resilience rules (never a rule module itself)."""

from __future__ import annotations

import ast
from urllib.parse import urlsplit

from prodready.analysis.bindings import origin
from prodready.analysis.semantic import SemanticModel
from prodready.rules.matchers import HTTP_CLIENT_CLASSES, HTTP_CLIENT_METHODS, HTTP_FUNCTIONS

# Bot API methods that deliver a message to a chat, and the shortcuts on a received message
# that send it to another chat (aiogram `copy_to` / `send_copy` / `forward`, PTB `copy`).
TELEGRAM_SEND_METHODS = frozenset(
    {
        "send_message",
        "send_photo",
        "send_video",
        "send_document",
        "send_audio",
        "send_voice",
        "send_animation",
        "send_sticker",
        "send_media_group",
        "send_video_note",
        "send_location",
        "send_contact",
        "send_poll",
        "send_dice",
        "send_invoice",
        "send_paid_media",
        "copy_message",
        "copy_messages",
        "forward_message",
        "forward_messages",
    }
)
MESSAGE_SHORTCUTS = frozenset({"copy_to", "send_copy", "forward", "copy"})

# Provider SDKs whose calls are outbound HTTP requests (top-level import names).
PROVIDER_SDKS = frozenset(
    {
        "openai",
        "anthropic",
        "stripe",
        "yookassa",
        "aiocryptopay",
        "yoomoney",
        "twilio",
        "sendgrid",
        "mistralai",
        "groq",
        "google.genai",
        "google.generativeai",
    }
)
_NOT_REQUESTS = frozenset({"configure", "close", "aclose", "__init__", "__aenter__"})


def http_client_library(expr: ast.AST, semantic: SemanticModel) -> str | None:
    """ "httpx" / "aiohttp" / "requests" when `expr` is a client or session the scope shows
    (built or annotated), or a client built on the spot (`requests.Session().get`)."""
    if isinstance(expr, ast.Call):
        return HTTP_CLIENT_CLASSES.get(semantic.qualified_name(expr.func) or "")
    return HTTP_CLIENT_CLASSES.get(origin(expr, semantic) or "")


def http_request_library(call: ast.Call, semantic: SemanticModel) -> str | None:
    """The library of a call that sends one HTTP request: `httpx.get(...)`,
    `requests.post(...)`, `client.get(...)` on a known client; else None."""
    name = semantic.qualified_name(call.func)
    if name in HTTP_FUNCTIONS:
        return HTTP_FUNCTIONS[name]
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in HTTP_CLIENT_METHODS - {"build_request"}:
        return http_client_library(func.value, semantic)
    return None


def external_call_library(name: str) -> str | None:
    """The library of a call-graph call name that sends a request: "httpx.AsyncClient.get"
    -> "httpx", "requests.post" -> "requests", "stripe.Customer.create" -> "stripe"."""
    if name in HTTP_FUNCTIONS:
        return HTTP_FUNCTIONS[name]
    owner, _, method = name.rpartition(".")
    if owner in HTTP_CLIENT_CLASSES:
        return HTTP_CLIENT_CLASSES[owner] if method in HTTP_CLIENT_METHODS else None
    if method in _NOT_REQUESTS or method[:1].isupper() or "Config" in name:
        return None  # a constructor or set-up, not a request
    for sdk in PROVIDER_SDKS:
        if name.startswith(sdk + ".") and name.count(".") >= 2:
            return sdk
    return None


def url_host(expr: ast.AST | None) -> str | None:
    """The host of a URL written as a literal, or at the start of an f-string or a `+`:
    "https://api.crypt.bot/api/createInvoice" -> "api.crypt.bot"."""
    while isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        expr = expr.left
    if isinstance(expr, ast.JoinedStr) and expr.values:
        expr = expr.values[0]
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            host = urlsplit(expr.value).hostname
        except ValueError:  # "[@id='sc']" and other text that only looks like a URL
            return None
        return host if host and "." in host else None
    return None


def request_url(call: ast.Call) -> ast.expr | None:
    """The URL argument of a request call: `url=`, else the first positional argument
    (the second for `request(method, url)` and `stream(method, url)`)."""
    for keyword in call.keywords:
        if keyword.arg == "url":
            return keyword.value
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    index = 1 if method in {"request", "stream"} else 0
    return call.args[index] if len(call.args) > index else None
