"""FastAPI, Starlette and aiohttp.web: routes, apps, lifespan / startup / shutdown hooks,
middleware and exception handlers.

Only files that import fastapi, starlette, aiohttp or uvicorn are read.

- Routes: `@app.post(path)` / `@router.get(path)` / `api_route(methods=…)` / `websocket`,
  `add_api_route`, `add_route`, Starlette `Route(path, endpoint, methods=[…])`, aiohttp
  `app.router.add_post(path, h)`, `web.post(path, h)` (in `add_routes([...])`),
  `@routes.post(path)` on a `RouteTableDef`. One Route per method; aiohttp views are "*".
  The path is prefixed with the `prefix=` of an `APIRouter(prefix=…)` built in the same
  file (an `include_router(..., prefix=…)` prefix is not applied). `dependencies` are the
  `Depends(x)` / `Security(x)` of the router (`APIRouter(dependencies=[…])`), of the
  decorator and of the parameters (defaults and `Annotated[...]`, also through an alias).
- Which object is an app or router: see `_web.framework_of`.
- Route.receives: "telegram" when the route's function, or a function of the same module
  it calls by name, feeds an update to a bot (`feed_update`, `feed_webhook_update`,
  `feed_raw_update`, `process_update`, `update_queue.put`, building an aiogram / PTB
  `Update`); else "payment" when its path and function name read as a payment provider's
  callback (`_web.is_payment_callback`: a provider such as yookassa / stripe / cryptobot /
  cryptopay / cryptomus with a callback word such as webhook / callback / notify / ipn /
  result, or a payment word — payment / pay / billing / invoice / checkout — with a
  callback word, or "ipn", or a POST whose last fixed path segment is a provider). Words
  also come from a method's class (`YooKassaWebhookHandler.handle_webhook`); a provider is
  also a word with "kassa" / "platezh" or a longer word ending in "pay" (severpay);
  CloudPayments with a notification kind (`/cloudpayments/pay`, `/check`) counts, and so
  does a POST whose body names a field only a provider's notification carries (Robokassa
  `OutSum` / `InvId` / `SignatureValue`, T-Bank `TerminalKey`, FreeKassa
  `MERCHANT_ORDER_ID`, CloudPayments `Content-HMAC`).
- EntryPoints "web-app": each `FastAPI()` / `Starlette()` / `web.Application()` (function:
  the variable it is assigned to), `web.run_app(app)` and `uvicorn.run(app)` /
  `uvicorn.Config(app)` (framework "uvicorn"; function: the app or its "module:app" text).
- Hooks: "lifespan" (`lifespan=`, aiohttp `cleanup_ctx`), "startup" / "shutdown"
  (`on_startup=[…]`, `@app.on_event(…)`, `add_event_handler`, aiohttp `on_startup` /
  `on_shutdown` / `on_cleanup`, with `on` naming the aiohttp signal), "middleware"
  (`add_middleware(Cls)`, `middleware=[Middleware(Cls)]`, `@app.middleware("http")`,
  aiohttp `middlewares=[…]` / `app.middlewares.append`), "exception-handler" (`on`: the
  exception class or status code as written).
"""

from __future__ import annotations

import ast

from prodready.analysis.project.adapters import _aiohttp, _asgi
from prodready.analysis.project.adapters._common import (
    FUNCTIONS,
)
from prodready.analysis.project.adapters._index import (
    build_index,
)
from prodready.analysis.project.adapters._web import WebFound
from prodready.analysis.project.model import FileFacts
from prodready.analysis.source import ParsedFile

_PACKAGES = ("fastapi", "starlette", "aiohttp", "uvicorn")


def extract(parsed: ParsedFile) -> FileFacts:
    """Routes, web apps and their hooks in one file (empty unless it imports a web framework)."""
    imports = parsed.semantic.imports
    if not any(imports.imports_module(package) for package in _PACKAGES):
        return FileFacts(path=parsed.source.path, module=parsed.source.module)
    index = build_index(parsed)
    found = WebFound(index)
    for node, scope in index.nodes:
        if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            _asgi.decorated(found, node, scope)
            _aiohttp.decorated(found, node, scope)
        elif isinstance(node, ast.Call) and id(node) not in index.decorators:
            _asgi.call(found, node, scope)
            _aiohttp.call(found, node, scope)
    return found.facts()
