"""aiogram's names: observers (3.x), handler methods (2.x), command filters, version markers."""

from __future__ import annotations

import ast
from types import MappingProxyType

from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
)

# aiogram 3 Router / Dispatcher observers (aiogram/dispatcher/router.py); "error" is an alias.
OBSERVERS = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "message_reaction",
        "message_reaction_count",
        "chat_boost",
        "removed_chat_boost",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "update",
        "errors",
        "error",
    }
)

# aiogram 2 Dispatcher decorators; `register_<name>` registers the same way.
V2_HANDLERS = MappingProxyType(
    {
        "message_handler": "message",
        "edited_message_handler": "edited_message",
        "channel_post_handler": "channel_post",
        "edited_channel_post_handler": "edited_channel_post",
        "inline_handler": "inline_query",
        "chosen_inline_handler": "chosen_inline_result",
        "callback_query_handler": "callback_query",
        "shipping_query_handler": "shipping_query",
        "pre_checkout_query_handler": "pre_checkout_query",
        "poll_handler": "poll",
        "poll_answer_handler": "poll_answer",
        "my_chat_member_handler": "my_chat_member",
        "chat_member_handler": "chat_member",
        "chat_join_request_handler": "chat_join_request",
        "errors_handler": "errors",
    }
)

# Filters that stand for fixed commands (aiogram 3 CommandStart; aiogram 2 builtin ones).
_FIXED_COMMANDS = MappingProxyType(
    {
        "CommandStart": "start",
        "CommandHelp": "help",
        "CommandSettings": "settings",
        "CommandPrivacy": "privacy",
    }
)

# Imports only aiogram 2 has; anything else in a file that imports aiogram means 3.x.
_V2_MODULES = (
    "aiogram.executor",
    "aiogram.utils.executor",
    "aiogram.dispatcher.filters",
    "aiogram.contrib",
    "aiogram.dispatcher.Dispatcher",
    "aiogram.dispatcher.FSMContext",
    "aiogram.dispatcher.storage",
    "aiogram.dispatcher.webhook",
    "aiogram.dispatcher.handler",
    "aiogram.dispatcher.middlewares",
    "aiogram.types.ContentTypes",
    "aiogram.utils.exceptions",
    "aiogram.bot",
)

_ROUTER_CLASSES = frozenset({"Router", "Dispatcher"})
_FOREIGN = ("fastapi", "starlette", "aiohttp", "telegram", "flask", "django", "litestar")
_ROUTER_WORDS = frozenset({"router", "routers", "dp", "dispatcher"})


def file_version(index: Index) -> str:
    """ "aiogram2" when the file imports something only aiogram 2 has, else "aiogram3"."""
    bindings = index.parsed.semantic.imports.bindings.values()
    for name in bindings:
        if any(name == m or name.startswith(m + ".") for m in _V2_MODULES):
            return "aiogram2"
    return "aiogram3"


def is_router(index: Index, expr: ast.AST, scope: Scope) -> bool:
    """True when `expr` is an aiogram Router / Dispatcher: built or annotated as one in this
    file, or (imported or not) named like one: `router`, `admin_router`, `dp`, `admin_dp`,
    `dispatcher`. The file must import aiogram (checked by the caller)."""
    for kind in index.type_of(expr):
        head, _, last = kind.rpartition(".")
        if head.startswith("aiogram") and last in _ROUTER_CLASSES:
            return True
        if kind.startswith(_FOREIGN):
            return False
    if (index.qualify(expr, scope) or "").startswith(("aiogram", *_FOREIGN)):
        return False
    if not isinstance(expr, ast.Name | ast.Attribute):
        return False
    last = (expr.id if isinstance(expr, ast.Name) else expr.attr).lower()
    return bool(_ROUTER_WORDS.intersection(last.split("_"))) or last.endswith("router")


def commands(index: Index, exprs: list[ast.expr], scope: Scope) -> tuple[bool, tuple[str, ...]]:
    """(is a command handler, command names) from `Command("a", "b")`, `Command(commands=[…])`,
    `CommandStart()` and aiogram 2's `commands=[...]` keyword values in `exprs`."""
    found: list[str] = []
    is_command = False
    stack: list[ast.AST] = list(exprs)
    while stack:
        node = stack.pop()
        stack.extend(ast.iter_child_nodes(node))
        if not isinstance(node, ast.Call):
            continue
        name = index.qualify(node.func, scope) or ""
        head, _, last = name.rpartition(".")
        if not head.startswith("aiogram"):
            continue
        if last in _FIXED_COMMANDS:
            is_command = True
            found.append(_FIXED_COMMANDS[last])
        elif last == "Command":
            is_command = True
            for arg in node.args:
                found.extend(index.str_items(arg))
            for item in node.keywords:
                if item.arg == "commands":
                    found.extend(index.str_items(item.value))
    return is_command, tuple(dict.fromkeys(c.lstrip("/") for c in found))
