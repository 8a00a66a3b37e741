"""What the web adapters share: the found facts, which object is an app / router, and what a
route receives (Telegram updates or a payment provider's callback)."""

from __future__ import annotations

import ast
import dataclasses
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from prodready.analysis.project.adapters._common import (
    FunctionNode,
    by_line,
)
from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
)
from prodready.analysis.project.model import EntryPoint, FileFacts, Hook, Route
from prodready.analysis.walk import iter_body

# Classes of apps and routers -> framework.
_APP_TYPES = MappingProxyType(
    {
        "fastapi.FastAPI": "fastapi",
        "fastapi.applications.FastAPI": "fastapi",
        "fastapi.APIRouter": "fastapi",
        "fastapi.routing.APIRouter": "fastapi",
        "starlette.applications.Starlette": "starlette",
        "starlette.routing.Router": "starlette",
        "aiohttp.web.Application": "aiohttp",
        "aiohttp.web_app.Application": "aiohttp",
        "aiohttp.web.RouteTableDef": "aiohttp",
        "aiohttp.web_routedef.RouteTableDef": "aiohttp",
    }
)
_APP_WORDS = frozenset({"app", "application", "api", "router", "routes", "web_app", "webapp"})
LIBRARIES = ("aiogram", "telegram", "fastapi", "starlette", "aiohttp", "litestar", "flask")


def framework_of(index: Index, expr: ast.AST, scope: Scope) -> str | None:
    """The framework of an app / router object: from the class it is built or annotated
    with; else, when the file imports a web framework, for an object (imported or not)
    named like an app or router (a `_`-separated word app / api / router / routes /
    application / webapp: `app`, `app_uvi`, `admin_router`, `routes`)."""
    kinds = index.type_of(expr)
    for kind in kinds:
        if kind in _APP_TYPES:
            return _APP_TYPES[kind]
    if any(kind.startswith(LIBRARIES) for kind in kinds):
        return None
    if (index.qualify(expr, scope) or "").startswith(LIBRARIES):
        return None
    if not isinstance(expr, ast.Name | ast.Attribute):
        return None
    last = (expr.id if isinstance(expr, ast.Name) else expr.attr).lower()
    if not (_APP_WORDS.intersection(last.split("_")) or last.endswith(("router", "routes"))):
        return None
    return framework_by_imports(index)


def framework_by_imports(index: Index) -> str | None:
    for package in ("fastapi", "aiohttp", "starlette"):
        if index.imports(package):
            return package
    return None


# What a payment provider's callback route is called. Providers are matched as words of the
# path or function name (or, for names of 6+ letters, inside a word: "yookassawebhook").
PROVIDERS = frozenset(
    {
        "yookassa",
        "yoomoney",
        "stripe",
        "cryptobot",
        "cryptopay",
        "cryptomus",
        "paypal",
        "robokassa",
        "freekassa",
        "tinkoff",
        "cloudpayments",
        "nowpayments",
        "heleket",
        "crystalpay",
        "lava",
        "aaio",
        "payok",
        "platega",
        "coinbase",
        "lemonsqueezy",
        "paddle",
        "btcpay",
        "xrocket",
        "unitpay",
        "paymaster",
        "prodamus",
        "apays",
        "anypay",
        "payeer",
        "enot",
        "wata",
        "tribute",
        "pally",
        "paykilla",
        "paypear",
        "pal24",
    }
)
# CloudPayments posts each notification type to its own URL (Check, Pay, Fail, Confirm,
# Refund, Recurrent, Cancel): `/cloudpayments/pay` is its Pay notification.
_CLOUDPAYMENTS_KINDS = frozenset(
    {"check", "pay", "fail", "confirm", "refund", "recurrent", "cancel"}
)
# Field and header names only a provider's notification carries: Robokassa's ResultURL
# (`OutSum`, `InvId`, `SignatureValue`), T-Bank acquiring (`TerminalKey`), FreeKassa
# (`MERCHANT_ORDER_ID`), CloudPayments (`Content-HMAC` / `X-Content-HMAC`).
PROVIDER_FIELDS = frozenset(
    {
        "OutSum",
        "InvId",
        "SignatureValue",
        "TerminalKey",
        "MERCHANT_ORDER_ID",
        "Content-HMAC",
        "X-Content-HMAC",
        "Content-Hmac",
        "X-Content-Hmac",
    }
)
_PAYMENT_WORDS = frozenset(
    {"pay", "payment", "payments", "paid", "billing", "invoice", "invoices", "checkout"}
)
_CALLBACK_WORDS = frozenset(
    {
        "webhook",
        "webhooks",
        "hook",
        "hooks",
        "callback",
        "callbacks",
        "notify",
        "notification",
        "notifications",
        "ipn",
        "result",
        "postback",
        "event",
        "events",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


def words(text: str) -> set[str]:
    """Lower-case words of a path or identifiers: `ProcessingPaymentDTO` → processing,
    payment, dto; `/yookassa/webhook` → yookassa, webhook."""
    return set(_WORD.findall(_CAMEL.sub(r"\1 \2", text).lower()))


def _provider_word(word: str) -> bool:
    """A provider's name, also one not listed: a word with "kassa" (yukassa, ykassa,
    kassa_ai) or "platezh", or a longer word ending in "pay" (severpay, mulenpay)."""
    return (
        word in PROVIDERS
        or "kassa" in word
        or "platezh" in word
        or (len(word) > 5 and word.endswith("pay") and word != "autopay")
    )


def _names(function: str) -> str:
    """The function's name, with its class's when it is a method
    (`YooKassaWebhookHandler.handle_webhook`)."""
    parts = function.split(".")
    if len(parts) >= 2 and parts[-2][:1].isupper():
        return f"{parts[-2]} {parts[-1]}"
    return parts[-1]


def is_payment_callback(
    path: str, function: str, method: str, extra: str = "", fields: bool = False
) -> bool:
    """A payment provider's callback. Words are those of the path, the function's name (and
    its class's) and `extra` (its parameters' names and annotations): a provider with a
    callback word, or "ipn"; a payment word with a callback word, unless the route is a GET
    (a page the payer is sent back to); a POST whose last fixed path segment is a provider;
    CloudPayments with a notification kind (`/cloudpayments/pay`); or a POST whose body
    reads a provider's notification fields (`fields`)."""
    found = words(f"{path} {_names(function)} {extra}")
    joined = "".join(sorted(found))
    provider = any(_provider_word(w) for w in found) or any(
        p in joined for p in PROVIDERS if len(p) >= 6
    )
    callback = bool(found & _CALLBACK_WORDS)
    if "ipn" in found or (callback and provider):
        return True
    if callback and found & _PAYMENT_WORDS and method != "GET":
        return True
    if method == "GET":
        return False
    if "cloudpayments" in joined and found & _CLOUDPAYMENTS_KINDS:
        return True
    segments = [s for s in path.lower().split("/") if s and "{" not in s]
    if method == "POST" and segments and _provider_word(segments[-1]):
        return True
    return method == "POST" and fields


def reads_provider_fields(index: Index, function: str) -> bool:
    """The function's body or a parameter (FastAPI `MERCHANT_ORDER_ID: str = Form()`) names
    a field or header only a payment provider's notification carries (`PROVIDER_FIELDS`)."""
    node = index.defs.get(function)
    if node is None:
        return False
    args = node.args
    if any(a.arg in PROVIDER_FIELDS for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)):
        return True
    return any(isinstance(n, ast.Constant) and n.value in PROVIDER_FIELDS for n in iter_body(node))


def parameter_words(index: Index, function: str) -> str:
    """The names and annotations of a function's parameters, as text."""
    node = index.defs.get(function)
    if node is None:
        return ""
    args = node.args
    every = (*args.posonlyargs, *args.args, *args.kwonlyargs)
    return " ".join(
        f"{arg.arg} {ast.unparse(arg.annotation) if arg.annotation else ''}" for arg in every
    )


_FEEDS = frozenset({"feed_update", "feed_webhook_update", "feed_raw_update", "process_update"})
_UPDATE_PARSERS = frozenset(
    {"model_validate", "model_validate_json", "de_json", "to_object", "parse_obj", "parse_raw"}
)


def _builds_update(qualified: str) -> bool:
    parts = qualified.split(".")
    if parts[0] not in ("aiogram", "telegram"):
        return False
    if parts[-1] == "Update":
        return True
    return len(parts) >= 2 and parts[-2] == "Update" and parts[-1] in _UPDATE_PARSERS


def _feeds(index: Index, function: FunctionNode, owner: str) -> tuple[bool, list[str]]:
    """(the body feeds Telegram updates, same-module functions and methods it calls)."""
    called: list[str] = []
    for node in iter_body(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in _FEEDS:
                return True, called
            receiver = func.value
            if (
                func.attr in ("put", "put_nowait")
                and getattr(receiver, "attr", "") == "update_queue"
                and node.args
                and not isinstance(node.args[0], ast.Call)
            ):
                return True, called  # an Update built earlier (a Call is checked itself)
            if isinstance(receiver, ast.Name) and receiver.id == "self" and owner:
                called.append(f"{owner}.{func.attr}")
        elif isinstance(func, ast.Name):
            called.append(f"{index.module}.{func.id}")
        if _builds_update(index.parsed.semantic.imports.qualified_name(func) or ""):
            return True, called
    return False, called


def feeds_telegram(index: Index, function: str) -> bool:
    """The route's function, or a function of the same module (or method of the same class)
    it calls directly, passes the request to a bot: `dp.feed_update` /
    `feed_webhook_update` / `feed_raw_update`, `process_update`,
    `application.update_queue.put(update)` (not of a custom object built in the call:
    `put(WebhookUpdate(...))`), or builds an aiogram / PTB `Update`
    (`Update(**data)`, `Update.model_validate(...)`, `Update.de_json(...)`)."""
    node = index.defs.get(function)
    if node is None:
        return False
    owner = function.rsplit(".", 1)[0] if function.rsplit(".", 1)[0] in index.classes else ""
    feeds, called = _feeds(index, node, owner)
    if feeds:
        return True
    return any(
        _feeds(index, index.defs[name], owner)[0]
        for name in dict.fromkeys(called)
        if name in index.defs
    )


@dataclass(slots=True)
class WebFound:
    index: Index
    routes: list[Route] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    entries: list[EntryPoint] = field(default_factory=list)

    def hook(self, kind: str, framework: str, function: str, at: ast.AST, on: str = "") -> None:
        self.hooks.append(Hook(kind, framework, function, self.index.evidence(at), on))

    def facts(self) -> FileFacts:
        routes = []
        for route in self.routes:
            receives = ""
            if feeds_telegram(self.index, route.function):
                receives = "telegram"
            elif is_payment_callback(
                route.path,
                route.function,
                route.method,
                parameter_words(self.index, route.function),
                reads_provider_fields(self.index, route.function),
            ):
                receives = "payment"
            routes.append(dataclasses.replace(route, receives=receives))
        source = self.index.parsed.source
        return FileFacts(
            path=source.path,
            module=source.module,
            routes=by_line(routes),
            entry_points=by_line(self.entries),
            hooks=by_line(self.hooks),
        )
