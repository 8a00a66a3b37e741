"""python-telegram-bot v20+ and v13: handlers, hooks and run modes of the fixture bots."""

from __future__ import annotations

from collections.abc import Callable

from prodready.analysis.project.adapters import ptb
from prodready.analysis.project.model import EntryPoint, Evidence, FileFacts, Handler, Hook

from .helpers import parse_file, project_file


def _at(path: str) -> Callable[[int], Evidence]:
    return lambda line: Evidence(path, line)


def test_ptb20_application_handlers_conversation_and_run_modes() -> None:
    facts = ptb.extract(project_file("ptb20_bot", "shop/main.py"))
    E = _at("shop/main.py")
    assert facts.handlers == (
        Handler(
            "ptb", "message", "shop.handlers.start", E(43), kinds=("command",), commands=("start",)
        ),
        Handler(
            "ptb",
            "message",
            "shop.handlers.buy",
            E(44),
            filters=("filters.ChatType.PRIVATE",),
            kinds=("command",),
            commands=("buy", "order"),
        ),
        Handler(
            "ptb", "pre_checkout_query", "shop.handlers.precheckout", E(45), kinds=("pre_checkout",)
        ),
        Handler(
            "ptb",
            "message",
            "shop.handlers.paid",
            E(46),
            filters=("filters.SUCCESSFUL_PAYMENT",),
            kinds=("successful_payment",),
        ),
        Handler(
            "ptb",
            "message",
            "shop.handlers.paid",
            E(47),
            filters=("filters.StatusUpdate.WEB_APP_DATA",),
            kinds=("web_app_data",),
        ),
        # a method of an instance built in the same function
        Handler(
            "ptb",
            "callback_query",
            "shop.handlers.Menu.button",
            E(48),
            filters=("pattern='^menu:'",),
        ),
        Handler(
            "ptb",
            "chat_member",
            "shop.main.track_chats",
            E(49),
            filters=("chat_member_types=ChatMemberHandler.CHAT_MEMBER",),
        ),
        # the entry points, states and fallbacks of a ConversationHandler
        Handler(
            "ptb",
            "message",
            "shop.handlers.ask_address",
            E(52),
            kinds=("command",),
            commands=("checkout",),
        ),
        Handler(
            "ptb",
            "message",
            "shop.handlers.save_address",
            E(53),
            filters=("filters.TEXT & ~filters.COMMAND",),
        ),
        Handler(
            "ptb",
            "message",
            "shop.handlers.cancel",
            E(54),
            kinds=("command",),
            commands=("cancel",),
        ),
        Handler("ptb", "errors", "shop.handlers.on_error", E(57), kinds=("errors",)),
    )
    assert facts.entry_points == (
        EntryPoint("webhook", "ptb", E(60), details=("secret_token",), path="telegram"),
        EntryPoint("polling", "ptb", E(68), details=("allowed_updates", "drop_pending_updates")),
    )
    assert facts.hooks == (
        Hook("startup", "ptb", "shop.main.post_init", E(38)),
        Hook("shutdown", "ptb", "shop.main.post_shutdown", E(39)),
        Hook("error-handler", "ptb", "shop.handlers.on_error", E(57)),
    )
    assert (facts.routes, facts.jobs) == ((), ())


def test_callbacks_alone_are_not_handlers() -> None:
    facts = ptb.extract(project_file("ptb20_bot", "shop/handlers.py"))
    assert facts == FileFacts(path="shop/handlers.py", module="shop.handlers")


def test_ptb13_updater_dispatcher() -> None:
    facts = ptb.extract(project_file("ptb13_bot", "bot.py"))
    E = _at("bot.py")
    assert facts.handlers == (
        Handler("ptb", "message", "bot.start", E(39), kinds=("command",), commands=("start",)),
        Handler("ptb", "message", "bot.echo", E(40), filters=("Filters.text & ~Filters.command",)),
        Handler("ptb", "pre_checkout_query", "bot.precheckout", E(41), kinds=("pre_checkout",)),
        Handler(
            "ptb",
            "message",
            "bot.successful_payment",
            E(42),
            filters=("Filters.successful_payment",),
            kinds=("successful_payment",),
        ),
        Handler("ptb", "errors", "bot.error", E(43), kinds=("errors",)),
    )
    # the token is the URL path: reported, and never printed
    assert facts.entry_points == (
        EntryPoint("webhook", "ptb", E(44), details=("token-in-path",), path="{TOKEN}"),
        EntryPoint("polling", "ptb", E(50), details=("drop_pending_updates",)),
    )
    assert facts.hooks == (Hook("error-handler", "ptb", "bot.error", E(43)),)


def test_lookalikes_are_not_ptb() -> None:
    parsed = parse_file(
        """
        from telegram import Update

        from app.routing import CommandHandler


        class Settings:
            def post_init(self, hook) -> None:
                self.hook = hook


        def on_ready() -> None:
            return None


        def wire(settings: Settings) -> None:
            CommandHandler("start", on_ready)
            settings.post_init(on_ready)
        """,
        "app.wiring",
    )
    assert ptb.extract(parsed) == FileFacts(path="app/wiring.py", module="app.wiring")


def test_files_without_telegram_are_not_read() -> None:
    parsed = parse_file("app.add_error_handler(on_error)\napp.run_polling()\n", "app.other")
    assert ptb.extract(parsed) == FileFacts(path="app/other.py", module="app.other")


def test_builder_variable_post_stop_and_assigned_post_init() -> None:
    parsed = parse_file(
        """
        from telegram.ext import ApplicationBuilder, TypeHandler
        from telegram import Update


        async def stop(app) -> None:
            return None


        async def start(app) -> None:
            return None


        async def audit(update, context) -> None:
            return None


        def build():
            builder = ApplicationBuilder().token("x")
            builder.post_stop(stop)
            application = builder.build()
            application.post_init = start
            application.add_handler(TypeHandler(Update, audit), group=-1)
            application.run_polling(stop_signals=None)
        """,
        "bot.app",
    )
    E = _at("bot/app.py")
    facts = ptb.extract(parsed)
    assert facts.hooks == (
        Hook("shutdown", "ptb", "bot.app.stop", E(20)),
        Hook("startup", "ptb", "bot.app.start", E(22)),
    )
    assert facts.handlers == (
        Handler("ptb", "update", "bot.app.audit", E(23), filters=("Update",)),
    )
    assert facts.entry_points == (
        EntryPoint("polling", "ptb", E(24), details=("stop_signals=None",)),
    )
