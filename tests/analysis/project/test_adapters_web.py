"""FastAPI, Starlette and aiohttp.web: routes, what they receive, apps and hooks, exactly."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from prodready.analysis.project.adapters import web
from prodready.analysis.project.adapters._web import is_payment_callback
from prodready.analysis.project.model import EntryPoint, Evidence, FileFacts, Hook, Route

from .helpers import parse_file, project_file


def _extract(project: str, path: str) -> tuple[FileFacts, Callable[[int], Evidence]]:
    return web.extract(project_file(project, path)), lambda line: Evidence(path, line)


def test_router_prefix_dependencies_and_payment_callbacks() -> None:
    facts, E = _extract("fastapi_service", "api/routes/payments.py")
    router = "api.routes.payments.router"
    assert facts.routes == (
        # Depends through an Annotated alias; the router's own dependencies come first
        Route(
            "fastapi",
            "GET",
            "/payments/{payment_id}",
            "api.routes.payments.get_payment",
            E(11),
            dependencies=("api.deps.verify_api_key",),
            router=router,
        ),
        Route(
            "fastapi",
            "POST",
            "/payments/yookassa/webhook",
            "api.routes.payments.yookassa_notification",
            E(16),
            receives="payment",
            dependencies=("api.deps.verify_api_key", "api.deps.get_session"),
            router=router,
        ),
        # Depends() names the annotated class; creating a checkout is no callback
        Route(
            "fastapi",
            "POST",
            "/payments/checkout",
            "api.routes.payments.create_checkout",
            E(23),
            dependencies=("api.deps.verify_api_key", "api.services.PaymentService"),
            router=router,
        ),
        Route(
            "fastapi",
            "POST",
            "/payments/cryptobot",
            "api.routes.payments.crypto",
            E(28),
            receives="payment",
            dependencies=("api.deps.verify_api_key",),
            router=router,
        ),
    )
    assert (facts.entry_points, facts.hooks) == ((), ())


def test_fastapi_app_telegram_routes_and_hooks() -> None:
    facts, E = _extract("fastapi_service", "api/main.py")
    assert facts.routes == (
        Route(
            "fastapi",
            "POST",
            "/telegram/webhook",
            "api.main.telegram_webhook",
            E(39),
            receives="telegram",
            router="api.main.app",
        ),
        # feeds the update through a helper of the same module
        Route(
            "fastapi",
            "POST",
            "/tg/{token}",
            "api.main.raw_webhook",
            E(52),
            receives="telegram",
            router="api.main.app",
        ),
        Route("fastapi", "GET", "/health", "api.main.health", E(58), router="api.main.app"),
    )
    assert facts.entry_points == (
        EntryPoint("web-app", "fastapi", E(24), function="api.main.app"),
        EntryPoint("web-app", "uvicorn", E(69), function="api.main:app"),
    )
    assert facts.hooks == (
        Hook("lifespan", "fastapi", "api.main.lifespan", E(24)),
        Hook("middleware", "fastapi", "fastapi.middleware.cors.CORSMiddleware", E(26)),
        Hook("exception-handler", "fastapi", "api.main.value_error", E(29), on="ValueError"),
        Hook("middleware", "fastapi", "api.main.add_request_id", E(34)),
        Hook("shutdown", "fastapi", "api.main.legacy_shutdown", E(63)),
    )


def test_starlette_routes_and_ptb_update_queue() -> None:
    facts, E = _extract("fastapi_service", "api/starlette_app.py")
    assert facts.routes == (
        Route("starlette", "GET", "/", "api.starlette_app.homepage", E(26)),
        Route(
            "starlette",
            "POST",
            "/stripe",
            "api.starlette_app.stripe_webhook",
            E(27),
            receives="payment",
        ),
        Route("starlette", "WEBSOCKET", "/ws", "api.starlette_app.ws", E(28)),
        Route(
            "starlette",
            "POST",
            "/telegram",
            "api.starlette_app.telegram",
            E(62),
            receives="telegram",
        ),
        # the project's own objects on the update queue are no Telegram updates
        Route("starlette", "POST", "/submit", "api.starlette_app.submit", E(63)),
        Route("starlette", "GET", "/submit", "api.starlette_app.submit", E(63)),
    )
    assert facts.entry_points == (
        EntryPoint("web-app", "starlette", E(24), function="api.starlette_app.app"),
        EntryPoint("web-app", "starlette", E(60), function="api.starlette_app.bot_app"),
    )
    assert facts.hooks == (
        Hook("middleware", "starlette", "starlette.middleware.gzip.GZipMiddleware", E(30)),
        Hook("startup", "starlette", "api.starlette_app.startup", E(31)),
    )


def test_a_hand_written_webhook_class_feeding_through_its_own_method() -> None:
    facts, E = _extract("fastapi_service", "api/tg_webhook.py")
    assert facts.routes == (
        Route(
            "fastapi",
            "POST",
            "/tg{path}",
            "api.tg_webhook.WebhookEndpoint.handle",
            E(17),
            receives="telegram",
            router="router",
        ),
    )


def test_routes_on_an_app_imported_under_another_name() -> None:
    facts, E = _extract("fastapi_service", "api/bot_runner.py")
    app = "api.settings.app_uvi"
    assert facts.routes == (
        Route("fastapi", "GET", "/health", "api.bot_runner.health", E(12), router=app),
        Route(
            "fastapi",
            "POST",
            "/bot/apays_webhook",
            "api.bot_runner.apays",
            E(17),
            receives="payment",
            router=app,
        ),
        # the payment words come from the parameter's annotation
        Route(
            "fastapi",
            "POST",
            "{settings.base_path}processing/event",
            "api.bot_runner.processing_event",
            E(22),
            receives="payment",
            router=app,
        ),
        # the page the payer returns to is no callback
        Route(
            "fastapi",
            "GET",
            "/payment/result",
            "api.bot_runner.payment_result_page",
            E(27),
            router=app,
        ),
    )
    # a partial kept in a variable names the function it wraps
    assert facts.hooks == (Hook("startup", "fastapi", "api.bot_runner.warm_up", E(38)),)


@pytest.mark.parametrize("path", ["api/near_miss.py", "api/deps.py"])
def test_clients_caches_registries_and_dependencies_are_not_routes(path: str) -> None:
    facts, _ = _extract("fastapi_service", path)
    assert facts == FileFacts(path=path, module=path.removesuffix(".py").replace("/", "."))


def test_aiohttp_routes_signals_and_middlewares() -> None:
    facts, E = _extract("aiohttp_service", "svc/app.py")
    assert facts.routes == (
        Route("aiohttp", "GET", "/health", "svc.app.health", E(13), router="svc.app.routes"),
        Route(
            "aiohttp",
            "POST",
            "/cryptomus/callback",
            "svc.app.cryptomus_callback",
            E(18),
            receives="payment",
            router="svc.app.routes",
        ),
        Route(
            "aiohttp", "*", "/items/{item_id}", "svc.app.ItemView", E(23), router="svc.app.routes"
        ),
        Route(
            "aiohttp",
            "POST",
            "/payment/notify",
            "svc.handlers.payment_notify",
            E(44),
            receives="payment",
        ),
        Route("aiohttp", "GET", "/", "svc.handlers.index", E(44)),
        # its function is in another module: what it receives is not known here
        Route("aiohttp", "POST", "/webhook/telegram", "svc.handlers.telegram", E(45), router="app"),
        Route("aiohttp", "PUT", "/items", "svc.handlers.put_item", E(46), router="app"),
    )
    assert facts.entry_points == (
        EntryPoint("web-app", "aiohttp", E(42), function="app"),
        EntryPoint("web-app", "aiohttp", E(55), function="svc.app.create_app"),
    )
    assert facts.hooks == (
        Hook("middleware", "aiohttp", "svc.middlewares.error_middleware", E(42)),
        Hook("startup", "aiohttp", "svc.app.on_startup", E(47), on="on_startup"),
        Hook("shutdown", "aiohttp", "svc.db.close_pool", E(48), on="on_cleanup"),
        Hook("lifespan", "aiohttp", "svc.app.background", E(49), on="cleanup_ctx"),
        Hook("middleware", "aiohttp", "svc.handlers.timing_middleware", E(50)),
    )


def test_handlers_without_routes_are_not_routes() -> None:
    facts, _ = _extract("aiohttp_service", "svc/handlers.py")
    assert facts == FileFacts(path="svc/handlers.py", module="svc.handlers")


@pytest.mark.parametrize(
    ("path", "function", "method", "extra", "expected"),
    [
        ("/yookassa/webhook", "notify", "POST", "", True),
        ("/webhooks", "stripe_webhook", "POST", "", True),
        ("/api/v1/cryptopay", "on_update", "POST", "", True),
        ("/ipn", "handler", "POST", "", True),
        ("/payments/callback", "cb", "POST", "", True),
        ("/processing/event", "on_event", "POST", "event: ProcessingPaymentEvent", True),
        ("/notify/yoomoney", "handler", "POST", "", True),
        ("/hooks", "yookassawebhook", "POST", "", True),
        ("/payments", "list_payments", "GET", "", False),
        ("/payments/{payment_id}", "get_payment", "GET", "", False),
        ("/payment/result", "result_page", "GET", "", False),
        ("/stripe/create-checkout-session", "create_session", "POST", "", False),
        ("/webhook", "telegram_webhook", "POST", "", False),
        ("/lavash/menu", "menu", "POST", "", False),
        ("/yukassa", "handler", "POST", "", True),
        ("/ykassa/notify", "handler", "POST", "", True),
        ("{path}", "SeverpayService.webhook_route", "POST", "", True),
        ("{path}", "YooKassaWebhookHandler.handle_webhook", "POST", "", True),
        ("{path}", "tribute_webhook", "POST", "", True),
        ("/cloudpayments/pay", "on_pay", "POST", "", True),
        ("/cloudpayments/check", "on_check", "POST", "", True),
        ("/cloudpayments/pay", "page", "GET", "", False),
        ("/pay", "on_pay", "POST", "", False),
        ("/check", "on_check", "POST", "", False),
        ("/subscription/autopay", "update_autopay", "POST", "", False),
        ("/balance/payments/{payment_id}/check", "check_status", "POST", "", False),
        ("/webhook", "PanelWebhookHandler.handle", "POST", "", False),
    ],
)
def test_payment_callback_rule(
    path: str, function: str, method: str, extra: str, expected: bool
) -> None:
    assert is_payment_callback(path, f"app.{function}", method, extra) is expected


def test_provider_fields_in_the_body_make_a_post_a_payment_callback() -> None:
    parsed = parse_file(
        """
        from fastapi import FastAPI, Form, Request
        app = FastAPI()

        @app.post("/api/confirm")
        async def robokassa(request: Request):
            form = await request.form()
            return form["SignatureValue"]

        @app.post("/api/notify-terminal")
        async def tbank(request: Request):
            data = await request.json()
            return data["TerminalKey"]

        @app.post("/api/fk")
        async def freekassa(MERCHANT_ORDER_ID: str = Form(), SIGN: str = Form()):
            return MERCHANT_ORDER_ID

        @app.get("/api/result")
        async def page(request: Request):
            return request.query_params["InvId"]

        @app.post("/api/orders")
        async def orders(request: Request):
            data = await request.json()
            return data["order_id"]
        """,
        "app.shop",
    )
    receives = {r.function: r.receives for r in web.extract(parsed).routes}
    assert receives == {
        "app.shop.robokassa": "payment",
        "app.shop.tbank": "payment",
        "app.shop.freekassa": "payment",
        "app.shop.page": "",
        "app.shop.orders": "",
    }


def test_files_without_a_web_framework_are_not_read() -> None:
    parsed = parse_file(
        """
        from flask import Flask

        app = Flask(__name__)


        @app.post("/stripe/webhook")
        def stripe_webhook():
            return ""
        """,
        "legacy.app",
    )
    assert web.extract(parsed) == FileFacts(path="legacy/app.py", module="legacy.app")


def test_api_route_methods_add_api_route_and_exception_handlers_mapping() -> None:
    parsed = parse_file(
        """
        from fastapi import FastAPI, Security

        from app.auth import api_key
        from app.errors import on_http_error
        from app.views import export


        def create_app() -> FastAPI:
            app = FastAPI(
                exception_handlers={404: on_http_error},
                on_startup=[connect],
                on_shutdown=[disconnect],
            )
            app.add_api_route("/export", export, methods=["GET", "POST"])
            app.add_exception_handler(Exception, on_http_error)

            @app.api_route("/items", methods=["PUT", "PATCH"])
            async def items(key: str = Security(api_key)) -> None:
                return None

            return app


        async def connect() -> None:
            return None


        async def disconnect() -> None:
            return None
        """,
        "app.factory",
    )
    E = lambda line: Evidence("app/factory.py", line)  # noqa: E731
    facts = web.extract(parsed)
    assert facts.routes == (
        Route("fastapi", "GET", "/export", "app.views.export", E(15), router="app"),
        Route("fastapi", "POST", "/export", "app.views.export", E(15), router="app"),
        Route(
            "fastapi",
            "PUT",
            "/items",
            "app.factory.create_app.items",
            E(18),
            dependencies=("app.auth.api_key",),
            router="app",
        ),
        Route(
            "fastapi",
            "PATCH",
            "/items",
            "app.factory.create_app.items",
            E(18),
            dependencies=("app.auth.api_key",),
            router="app",
        ),
    )
    assert facts.entry_points == (EntryPoint("web-app", "fastapi", E(10), function="app"),)
    assert facts.hooks == (
        Hook("exception-handler", "fastapi", "app.errors.on_http_error", E(11), on="404"),
        Hook("startup", "fastapi", "app.factory.connect", E(12)),
        Hook("shutdown", "fastapi", "app.factory.disconnect", E(13)),
        Hook("exception-handler", "fastapi", "app.errors.on_http_error", E(16), on="Exception"),
    )


def test_a_path_joined_with_plus_reads_as_written() -> None:
    parsed = parse_file(
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "@app.post('/app' + BOT_PATH)\n"
        "async def updates(update: dict) -> None: ...\n",
        "api.main",
        "api/main.py",
    )
    [route] = web.extract(parsed).routes
    assert route.path == "/app{BOT_PATH}"
