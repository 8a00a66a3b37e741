"""python-telegram-bot (v20+ and v13): handlers, error handlers, lifecycle hooks, run modes.

Only files that import `telegram` are read.

- A handler is any construction of a `telegram.ext.*Handler` class (wherever it is built:
  `app.add_handler(CommandHandler(...))`, a list given to `add_handlers`, the entry points,
  states and fallbacks of a `ConversationHandler`); its evidence is the construction.
  Handler.update: CommandHandler / PrefixHandler / MessageHandler "message",
  CallbackQueryHandler "callback_query", PreCheckoutQueryHandler "pre_checkout_query",
  ChatMemberHandler "my_chat_member" (its default) or "chat_member" when
  `chat_member_types` names CHAT_MEMBER / ANY_CHAT_MEMBER, TypeHandler "update", … ;
  filters: the `filters` argument, `pattern=…`, `chat_member_types=…`, TypeHandler's type.
  Handler.router is "" (PTB has no routers).
- `add_error_handler(cb)` is a Handler (update "errors") and a Hook "error-handler".
- Hooks: `Application.builder()….post_init(f)` "startup", `.post_stop(f)` /
  `.post_shutdown(f)` "shutdown" (in the builder chain, on a builder variable, or assigned
  as `application.post_init = f`).
- EntryPoints: `run_polling` / `start_polling` "polling"; `run_webhook` / `start_webhook`
  and `bot.set_webhook(url, ...)` "webhook" (details "secret_token" when passed and not
  None, "token-in-path" when `url_path` / the URL is built from a token; path = `url_path`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from types import MappingProxyType

from prodready.analysis.project.adapters._common import (
    MESSAGE_UPDATES,
    argument,
    by_line,
    chain_calls,
    content_marks,
    entry_details,
    function_argument,
    keyword,
    ordered_kinds,
    text,
)
from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
    build_index,
)
from prodready.analysis.project.model import EntryPoint, FileFacts, Handler, Hook
from prodready.analysis.source import ParsedFile

# class -> (update, position of the callback, positions / keywords of its filters)
_HANDLERS = MappingProxyType(
    {
        "CommandHandler": ("message", 1, ((2, "filters"),)),
        "PrefixHandler": ("message", 2, ((3, "filters"),)),
        "MessageHandler": ("message", 1, ((0, "filters"),)),
        "CallbackQueryHandler": ("callback_query", 0, ((1, "pattern"),)),
        "InlineQueryHandler": ("inline_query", 0, ((1, "pattern"),)),
        "ChosenInlineResultHandler": ("chosen_inline_result", 0, ((1, "pattern"),)),
        "PreCheckoutQueryHandler": ("pre_checkout_query", 0, ((-1, "pattern"),)),
        "ShippingQueryHandler": ("shipping_query", 0, ()),
        "PollHandler": ("poll", 0, ()),
        "PollAnswerHandler": ("poll_answer", 0, ()),
        "ChatMemberHandler": ("my_chat_member", 0, ((1, "chat_member_types"),)),
        "ChatJoinRequestHandler": ("chat_join_request", 0, ()),
        "ChatBoostHandler": ("chat_boost", 0, ()),
        "MessageReactionHandler": ("message_reaction", 0, ()),
        "BusinessConnectionHandler": ("business_connection", 0, ()),
        "BusinessMessagesDeletedHandler": ("deleted_business_messages", 0, ()),
        "PaidMediaPurchasedHandler": ("purchased_paid_media", 0, ()),
        "TypeHandler": ("update", 1, ((0, "type"),)),
    }
)
_LIFECYCLE = MappingProxyType(
    {"post_init": "startup", "post_stop": "shutdown", "post_shutdown": "shutdown"}
)
_BUILDERS = ("telegram.ext.Application.builder", "telegram.ext.ApplicationBuilder")
_DETAILS = (
    "secret_token",
    "drop_pending_updates",
    "allowed_updates",
    "stop_signals",
    "close_loop",
    "max_connections",
    "ip_address",
    "bootstrap_retries",
)
_RUN = MappingProxyType(
    {
        "run_polling": "polling",
        "start_polling": "polling",
        "run_webhook": "webhook",
        "start_webhook": "webhook",
        "set_webhook": "webhook",
    }
)


@dataclass(slots=True)
class _Found:
    index: Index
    handlers: list[Handler] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    entries: list[EntryPoint] = field(default_factory=list)

    def handler(self, node: ast.Call, kind: str, scope: Scope) -> None:
        index = self.index
        update, position, filter_params = _HANDLERS[kind]
        callback = function_argument(node, position, "callback")
        if callback is None:
            return
        filters: list[str] = []
        exprs: list[ast.expr] = []
        for filter_position, name in filter_params:
            value = argument(node, filter_position, name) if filter_position >= 0 else None
            value = value if value is not None else keyword(node, name)
            if value is None or (isinstance(value, ast.Constant) and value.value is None):
                continue
            exprs.append(value)
            filters.append(text(value) if name in ("filters", "type") else f"{name}={text(value)}")
        if kind == "ChatMemberHandler" and exprs and "CHAT_MEMBER" in text(exprs[0]):
            update = "my_chat_member" if "MY_CHAT_MEMBER" in text(exprs[0]) else "chat_member"
        names: tuple[str, ...] = ()
        if kind in ("CommandHandler", "PrefixHandler"):
            command = argument(node, 1 if kind == "PrefixHandler" else 0, "command")
            names = tuple(dict.fromkeys(c.lstrip("/") for c in index.str_items(command)))
        kinds = content_marks(exprs) if update in MESSAGE_UPDATES else set()
        kinds.update(("command",) if kind in ("CommandHandler", "PrefixHandler") else ())
        kinds.update(("pre_checkout",) if update == "pre_checkout_query" else ())
        self.handlers.append(
            Handler(
                framework="ptb",
                update=update,
                function=index.ref(callback, scope),
                evidence=index.evidence(node),
                filters=tuple(filters),
                kinds=ordered_kinds(kinds),
                commands=names,
            )
        )

    def call(self, node: ast.Call, scope: Scope) -> None:
        index = self.index
        qualified = index.qualify(node.func, scope) or ""
        head, _, last = qualified.rpartition(".")
        if head.startswith("telegram.ext") and last in _HANDLERS:
            self.handler(node, last, scope)
            return
        if not isinstance(node.func, ast.Attribute):
            return
        name = node.func.attr
        if name == "add_error_handler":
            callback = function_argument(node, 0, "callback")
            if callback is not None:
                function = index.ref(callback, scope)
                evidence = index.evidence(node)
                handler = Handler("ptb", "errors", function, evidence, kinds=("errors",))
                self.handlers.append(handler)
                self.hooks.append(Hook("error-handler", "ptb", function, evidence))
        elif name in _LIFECYCLE and node.args and self._builder(node, scope):
            function = index.ref(node.args[0], scope)
            evidence = index.evidence(node.args[0])
            self.hooks.append(Hook(_LIFECYCLE[name], "ptb", function, evidence))
        elif name in _RUN:
            self.run(node, name, scope)

    def _builder(self, node: ast.Call, scope: Scope) -> bool:
        """A call in an `Application.builder()` chain, or on a variable holding a builder."""
        for call in chain_calls(node):
            qualified = self.index.qualify(call.func, scope) or ""
            if qualified.startswith(_BUILDERS):
                return True
        func = node.func
        receiver = func.value if isinstance(func, ast.Attribute) else func
        return any(t.startswith(_BUILDERS) for t in self.index.type_of(receiver))

    def run(self, node: ast.Call, name: str, scope: Scope) -> None:
        index = self.index
        func = node.func
        receiver = func.value if isinstance(func, ast.Attribute) else func
        if any(t.startswith("aiogram") for t in index.type_of(receiver)):
            return
        if index.imports("aiogram") and not index.type_of(receiver):
            return  # a file with both: the aiogram adapter reports untyped receivers
        kind = _RUN[name]
        details = entry_details(node, _DETAILS)
        path_expr = keyword(node, "url_path") if name != "set_webhook" else None
        url = argument(node, 0, "url") if name == "set_webhook" else keyword(node, "webhook_url")
        if index.mentions_token(path_expr) or index.mentions_token(url):
            details = tuple(sorted((*details, "token-in-path")))
        path = index.path_text(path_expr)
        self.entries.append(EntryPoint(kind, "ptb", index.evidence(node), "", details, path))

    def assignment(self, node: ast.Assign, scope: Scope) -> None:
        """`application.post_init = on_startup`."""
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr in _LIFECYCLE:
                function = self.index.ref(node.value, scope)
                kind = _LIFECYCLE[target.attr]
                self.hooks.append(Hook(kind, "ptb", function, self.index.evidence(node)))


def extract(parsed: ParsedFile) -> FileFacts:
    """PTB handlers, hooks and entry points of one file (empty unless it imports telegram)."""
    source = parsed.source
    if not parsed.semantic.imports.imports_module("telegram"):
        return FileFacts(path=source.path, module=source.module)
    found = _Found(build_index(parsed))
    for node, scope in found.index.nodes:
        if isinstance(node, ast.Call):
            found.call(node, scope)
        elif isinstance(node, ast.Assign):
            found.assignment(node, scope)
    return FileFacts(
        path=source.path,
        module=source.module,
        handlers=by_line(found.handlers),
        entry_points=by_line(found.entries),
        hooks=by_line(found.hooks),
    )
