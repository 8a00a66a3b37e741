"""aiogram 3 and 2: handlers, hooks and entry points of the fixture bots, exactly."""

from __future__ import annotations

from collections.abc import Callable

from prodready.analysis.project.adapters import aiogram
from prodready.analysis.project.model import EntryPoint, Evidence, FileFacts, Handler, Hook

from .helpers import parse_file, project_file


def _at(path: str) -> Callable[[int], Evidence]:
    return lambda line: Evidence(path, line)


def _extract(project: str, path: str) -> tuple[FileFacts, Callable[[int], Evidence]]:
    return aiogram.extract(project_file(project, path)), _at(path)


def test_aiogram3_decorated_handlers_with_commands_and_filters() -> None:
    facts, E = _extract("aiogram3_bot", "bot/handlers/user.py")
    router = "bot.handlers.user.router"
    assert facts.handlers == (
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.user.start",
            E(10),
            filters=("CommandStart()",),
            kinds=("command",),
            router=router,
            commands=("start",),
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.user.help_",
            E(15),
            filters=("Command('help', 'about')",),
            kinds=("command",),
            router=router,
            commands=("help", "about"),
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.user.buy",
            E(20),
            filters=("Command(commands=['buy'])", "F.chat.type == 'private'"),
            kinds=("command",),
            router=router,
            commands=("buy",),
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.user.buy",
            E(21),
            filters=("F.text.lower() == 'buy'",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "callback_query",
            "bot.handlers.user.choose_plan",
            E(26),
            filters=("F.data.startswith('plan:')",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.user.checkout_email",
            E(31),
            filters=("StateFilter(Checkout.email)", "F.text"),
            router=router,
        ),
        # a button whose data reads "successful_payment" and a negated filter are not payments
        Handler(
            "aiogram3",
            "callback_query",
            "bot.handlers.user.looks_like_payment_but_is_a_button",
            E(36),
            filters=("F.data == 'successful_payment'",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.user.photo",
            E(41),
            filters=("~F.successful_payment", "F.photo"),
            router=router,
        ),
    )
    assert (facts.hooks, facts.entry_points, facts.routes, facts.jobs) == ((), (), (), ())


def test_aiogram3_payment_and_error_handlers() -> None:
    facts, E = _extract("aiogram3_bot", "bot/handlers/payments.py")
    router = "bot.handlers.payments.payments"
    assert facts.handlers == (
        Handler(
            "aiogram3",
            "pre_checkout_query",
            "bot.handlers.payments.pre_checkout",
            E(10),
            kinds=("pre_checkout",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.payments.paid",
            E(15),
            filters=("F.successful_payment",),
            kinds=("successful_payment",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.payments.refunded",
            E(20),
            filters=("F.content_type == ContentType.REFUNDED_PAYMENT",),
            kinds=("refunded_payment",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.payments.from_web_app",
            E(25),
            filters=("F.web_app_data",),
            kinds=("web_app_data",),
            router=router,
        ),
        Handler(
            "aiogram3",
            "errors",
            "bot.handlers.payments.on_error",
            E(30),
            kinds=("errors",),
            router=router,
        ),
    )
    assert facts.hooks == (
        Hook("error-handler", "aiogram3", "bot.handlers.payments.on_error", E(30)),
    )


def test_aiogram3_register_calls_in_a_setup_function_and_a_method() -> None:
    facts, E = _extract("aiogram3_bot", "bot/handlers/admin.py")
    assert facts.handlers == (
        # `self.show` in a class; the command names come from a module constant
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.admin.Stats.show",
            E(24),
            filters=("Command(commands=STATS_COMMANDS)",),
            kinds=("command",),
            router="router",
            commands=("stats", "statistics"),
        ),
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.admin.ban",
            E(30),
            filters=("Command('ban')", "IsAdmin()"),
            kinds=("command",),
            router="router",
            commands=("ban",),
        ),
        Handler(
            "aiogram3",
            "callback_query",
            "bot.handlers.admin.confirm",
            E(31),
            filters=("F.data == 'confirm'",),
            router="router",
        ),
        # an imported handler keeps the import's qualified name
        Handler(
            "aiogram3",
            "message",
            "bot.handlers.common.cancel",
            E(32),
            filters=("Command('cancel')",),
            kinds=("command",),
            router="router",
            commands=("cancel",),
        ),
        Handler("aiogram3", "edited_message", "bot.handlers.admin.ban", E(33), router="router"),
    )


def test_aiogram3_dispatcher_hooks_middlewares_and_polling() -> None:
    facts, E = _extract("aiogram3_bot", "bot/__main__.py")
    assert facts.entry_points == (
        EntryPoint("polling", "aiogram3", E(33), details=("allowed_updates",)),
    )
    assert facts.hooks == (
        Hook("startup", "aiogram3", "bot.__main__.on_startup", E(27)),
        Hook("shutdown", "aiogram3", "bot.__main__.on_shutdown", E(28)),
        Hook("middleware", "aiogram3", "bot.middlewares.DbSessionMiddleware", E(29), on="update"),
        # one instance kept in a variable, registered on two observers: its class
        Hook("middleware", "aiogram3", "bot.middlewares.ThrottlingMiddleware", E(31), on="message"),
        Hook(
            "middleware",
            "aiogram3",
            "bot.middlewares.ThrottlingMiddleware",
            E(32),
            on="callback_query",
        ),
    )
    assert facts.handlers == ()


def test_aiogram3_webhooks_with_and_without_secret() -> None:
    facts, E = _extract("aiogram3_bot", "bot/webhook.py")
    assert facts.entry_points == (
        EntryPoint("webhook", "aiogram3", E(18), details=("drop_pending_updates", "secret_token")),
        EntryPoint(
            "webhook", "aiogram3", E(32), details=("secret_token",), path="/telegram/webhook"
        ),
        EntryPoint(
            "webhook",
            "aiogram3",
            E(41),
            details=("handle_in_background=False", "token-in-path"),
            path="/bots/{bot_token}",
        ),
        # secret_token=None is no secret; the URL carries the bot token
        EntryPoint("webhook", "aiogram3", E(47), details=("token-in-path",)),
    )
    assert facts.hooks == (
        Hook("startup", "aiogram3", "bot.webhook.set_webhook", E(16)),
        Hook("shutdown", "aiogram3", "bot.webhook.remove_webhook", E(25)),
    )


def test_polling_of_a_payment_client_is_not_a_bot() -> None:
    facts, E = _extract("aiogram3_bot", "bot/runner.py")
    assert facts.entry_points == (
        EntryPoint("polling", "aiogram3", E(12)),
        EntryPoint("polling", "aiogram3", E(13), details=("handle_signals=False",)),
    )


def test_methods_named_like_observers_on_other_objects_are_not_handlers() -> None:
    facts, _ = _extract("aiogram3_bot", "bot/near_miss.py")
    assert facts == FileFacts(path="bot/near_miss.py", module="bot.near_miss")


def test_aiogram2_decorators_on_an_imported_dispatcher() -> None:
    facts, E = _extract("aiogram2_bot", "app/handlers/users.py")
    dp = "app.loader.dp"
    assert facts.handlers == (
        Handler(
            "aiogram2",
            "message",
            "app.handlers.users.start",
            E(9),
            filters=("CommandStart()",),
            kinds=("command",),
            router=dp,
            commands=("start",),
        ),
        Handler(
            "aiogram2",
            "message",
            "app.handlers.users.help_command",
            E(14),
            filters=("commands=['help', '/faq']",),
            kinds=("command",),
            router=dp,
            commands=("help", "faq"),
        ),
        Handler(
            "aiogram2",
            "message",
            "app.handlers.users.order",
            E(19),
            filters=("Text(equals='Order')", "state='*'"),
            router=dp,
        ),
        Handler(
            "aiogram2",
            "callback_query",
            "app.handlers.users.pick_item",
            E(24),
            filters=("lambda c: c.data.startswith('item_')", "state=Order.item"),
            router=dp,
        ),
        Handler(
            "aiogram2",
            "pre_checkout_query",
            "app.handlers.users.checkout",
            E(29),
            filters=("lambda query: True",),
            kinds=("pre_checkout",),
            router=dp,
        ),
        Handler(
            "aiogram2",
            "message",
            "app.handlers.users.got_payment",
            E(34),
            filters=("content_types=types.ContentTypes.SUCCESSFUL_PAYMENT",),
            kinds=("successful_payment",),
            router=dp,
        ),
        Handler(
            "aiogram2",
            "message",
            "app.handlers.users.web_app",
            E(39),
            filters=("content_types=['web_app_data']",),
            kinds=("web_app_data",),
            router=dp,
        ),
        Handler(
            "aiogram2",
            "errors",
            "app.handlers.users.errors",
            E(44),
            filters=("exception=Exception",),
            kinds=("errors",),
            router=dp,
        ),
    )
    assert facts.hooks == (Hook("error-handler", "aiogram2", "app.handlers.users.errors", E(44)),)


def test_aiogram2_register_calls() -> None:
    facts, E = _extract("aiogram2_bot", "app/handlers/admin.py")
    assert facts.handlers == (
        Handler(
            "aiogram2",
            "message",
            "app.handlers.admin.stats",
            E(18),
            filters=("commands='stats'", "is_admin=True"),
            kinds=("command",),
            router="dp",
            commands=("stats",),
        ),
        Handler(
            "aiogram2",
            "message",
            "app.handlers.admin.refund",
            E(19),
            filters=("commands=['refund']", "state='*'"),
            kinds=("command",),
            router="dp",
            commands=("refund",),
        ),
        Handler(
            "aiogram2",
            "message",
            "app.handlers.admin.paid",
            E(20),
            filters=("content_types=ContentType.SUCCESSFUL_PAYMENT",),
            kinds=("successful_payment",),
            router="dp",
        ),
    )


def test_aiogram2_executor_webhook_polling_and_hooks() -> None:
    facts, E = _extract("aiogram2_bot", "app/main.py")
    assert facts.entry_points == (
        EntryPoint("webhook", "aiogram2", E(14), details=("token-in-path",)),
        EntryPoint(
            "webhook",
            "aiogram2",
            E(27),
            details=("skip_updates", "token-in-path"),
            path="/webhook/{BOT_TOKEN}",
        ),
        EntryPoint("polling", "aiogram2", E(37), details=("skip_updates=False",)),
    )
    assert facts.hooks == (
        Hook(
            "middleware", "aiogram2", "aiogram.contrib.middlewares.logging.LoggingMiddleware", E(24)
        ),
        Hook("startup", "aiogram2", "app.main.on_startup", E(30)),
        Hook("shutdown", "aiogram2", "app.main.on_shutdown", E(31)),
        Hook("startup", "aiogram2", "app.main.on_startup", E(37)),
    )


def test_building_the_dispatcher_is_not_an_entry_point() -> None:
    facts, _ = _extract("aiogram2_bot", "app/loader.py")
    assert facts == FileFacts(path="app/loader.py", module="app.loader")


def test_files_without_aiogram_are_not_read() -> None:
    parsed = parse_file(
        """
        router = make_router()

        @router.message("x")
        async def handler(message):
            return None

        dp.start_polling(bot)
        """,
        "app.other",
    )
    assert aiogram.extract(parsed) == FileFacts(path="app/other.py", module="app.other")


def test_a_fastapi_router_in_an_aiogram_file_is_not_an_aiogram_router() -> None:
    parsed = parse_file(
        """
        from aiogram import Router
        from fastapi import APIRouter

        router = APIRouter()
        bot_router = Router()


        @router.message("/x")
        async def not_a_handler() -> None:
            return None


        @bot_router.message()
        async def catch_all(message) -> None:
            return None
        """,
        "app.mixed",
    )
    assert aiogram.extract(parsed).handlers == (
        Handler(
            "aiogram3",
            "message",
            "app.mixed.catch_all",
            Evidence("app/mixed.py", 14),
            router="app.mixed.bot_router",
        ),
    )


def test_nested_handlers_and_partial_callbacks() -> None:
    parsed = parse_file(
        """
        from functools import partial

        from aiogram import Dispatcher, F


        def setup(dp: Dispatcher, log_chat: int) -> None:
            @dp.callback_query(F.data == "ok")
            async def ok(callback) -> None:
                await callback.answer()

            dp.errors.register(partial(report, chat=log_chat))
            dp.message.register(lambda message: None)


        async def report(event, chat: int) -> None:
            return None
        """,
        "bot.setup",
    )
    E = _at("bot/setup.py")
    facts = aiogram.extract(parsed)
    assert facts.handlers == (
        Handler(
            "aiogram3",
            "callback_query",
            "bot.setup.setup.ok",
            E(8),
            filters=("F.data == 'ok'",),
            router="dp",
        ),
        Handler("aiogram3", "errors", "bot.setup.report", E(12), kinds=("errors",), router="dp"),
        Handler("aiogram3", "message", "<lambda>", E(13), router="dp"),
    )
    assert facts.hooks == (Hook("error-handler", "aiogram3", "bot.setup.report", E(12)),)


def test_negated_payment_filters_are_not_payment_handlers() -> None:
    parsed = parse_file(
        """
        from aiogram import F, Router
        from aiogram.types import ContentType
        router = Router()

        @router.message(F.successful_payment.is_(None))
        async def not_paid_is(message): ...

        @router.message(F.successful_payment == None)
        async def not_paid_eq(message): ...

        @router.message(~F.successful_payment)
        async def not_paid_invert(message): ...

        @router.message(F.content_type != ContentType.SUCCESSFUL_PAYMENT)
        async def not_paid_type(message): ...

        @router.message(F.successful_payment.is_not(None))
        async def paid_is_not(message): ...

        @router.message(F.successful_payment != None)
        async def paid_ne(message): ...

        @router.message(F.content_type == ContentType.SUCCESSFUL_PAYMENT)
        async def paid_type(message): ...
        """,
        "app.pay",
    )
    kinds = {h.function: h.kinds for h in aiogram.extract(parsed).handlers}
    assert {f for f, k in kinds.items() if "successful_payment" in k} == {
        "app.pay.paid_is_not",
        "app.pay.paid_ne",
        "app.pay.paid_type",
    }
    assert len(kinds) == 7
