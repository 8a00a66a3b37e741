"""Who may run a handler: privileged names (admin, broadcast, ban, balance...), the checks
that restrict who sends an update (filters, decorators, conditions in the body, FSM states
reached only through a checked entry), and whether a handler changes anything at all.
Router-level guards are in `rules.routers`.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable

from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import Handler, Route
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[^\W\d_]+", re.UNICODE)
_PRIVILEGED = frozenset(
    {
        "admin", "admins", "administrator", "adminka", "broadcast", "mailing", "newsletter",
        "sendall", "ban", "unban", "grant", "promote", "demote", "superuser", "sudo",
        "setbalance", "addbalance", "givebalance", "moderator",
    }
)  # fmt: skip
_CYRILLIC = ("админ", "рассылк")
_GIVE = frozenset({"balance", "money", "premium", "vip", "access", "coins", "stars", "bonus"})
_USER_FACING = frozenset(
    {"contact", "write", "ask", "call", "support", "feedback", "report", "to", "question"}
    | {"notify", "notification", "notice"}
    | {"not", "non", "no", "denied", "forbidden", "unauthorized", "unauthorised"}
)
# Words that name an authorization check (in a filter, decorator, middleware or condition).
AUTH = re.compile(
    r"admin|owner|superuser|sudo|staff|moderator|role|permission|privilege|allowed|whitelist|"
    r"access|creator|manager|operator|developer|is_dev|authori[sz]|админ",
    re.I,
)
_IDENTITY = re.compile(r"(from_user|effective_user|user|chat|sender)\.id|\buser_id\b|\bchat_id\b")
_PTB_USERS = re.compile(r"filters\.(User|Chat)\(|Filters\.(user|chat)\(")
_WEB_AUTH = re.compile(
    r"auth|admin|token|verify|require|current_user|api_?key|permission|role|login|credential|"
    r"security|bearer|basic|jwt|signature|secret|guard|protect|staff|superuser|identity|principal",
    re.I,
)
_CHAT_ADMIN_LOOKUPS = frozenset({"get_chat_member", "get_chat_administrators"})
_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def words(text: str) -> list[str]:
    """`adminStats`, `admin_stats`, "admin:stats" -> ["admin", "stats"] (lower case)."""
    return [w.lower() for w in _WORD.findall(text)]


def privileged(text: str) -> str | None:
    """The privileged word `text` names (`broadcast`, `set_balance`), None for ordinary ones
    and for user-facing ones that only mention an admin (`contact_admin`)."""
    found = words(text)
    joined = set(found) | {a + b for a, b in itertools.pairwise(found)}
    hit = next((w for w in found if w in _PRIVILEGED), None)
    hit = hit or next((w for w in joined if w in _PRIVILEGED), None)
    if hit is None and "give" in found and _GIVE.intersection(found):
        hit = "give"
    if hit is None:
        hit = next((w for w in found if w.startswith(_CYRILLIC)), None)
    if hit is not None and _USER_FACING & set(found):
        return None
    return hit


def strings_of(texts: Iterable[str]) -> list[str]:
    """The quoted strings inside filter texts (callback data, button texts, patterns)."""
    return [a or b for text in texts for a, b in _STRING.findall(text)]


_STATE = re.compile(r"state|States?\.|FSM\w*\.|Form\w*\.", re.I)
_MEMBER = re.compile(r"\b([A-Z]\w*)\.[a-z_][a-z0-9_]*\b")


def state_groups(classes: Iterable[tuple[str, tuple[str, ...]]]) -> frozenset[str]:
    """Bare names of the project's aiogram `StatesGroup` classes, from (name, bases)."""
    return frozenset(
        name.rsplit(".", 1)[-1]
        for name, bases in classes
        if any(base.endswith("StatesGroup") for base in bases)
    )


def is_state_filter(text: str, groups: frozenset[str] = frozenset()) -> bool:
    """An FSM state filter: `StateFilter(Form.name)`, `state=Form.name`, or a member of one
    of the project's `StatesGroup` classes (`BroadcastFlow.awaiting_text`)."""
    bare = _STRING.sub("''", text)
    return bool(_STATE.search(bare)) or any(m in groups for m in _MEMBER.findall(bare))


def checks_identity(text: str) -> bool:
    """A filter or condition text that restricts who may pass: names an admin / role check
    or compares the caller's id (`F.from_user.id.in_(ADMINS)`, `filters.User(...)`)."""
    bare = _STRING.sub("''", text)
    return bool(AUTH.search(bare) or _IDENTITY.search(bare) or _PTB_USERS.search(bare))


def web_guard(dependencies: Iterable[str]) -> bool:
    """A FastAPI dependency (or include-level `dependencies=[...]` text) that authenticates."""
    return any(_WEB_AUTH.search(d.rsplit(".", 1)[-1]) for d in dependencies)


def web_text(text: str) -> bool:
    return web_guard([text])


def body_checks(function: FunctionNode) -> bool:
    """The handler checks the caller itself: a condition naming an admin / role / the caller's
    id, a `get_chat_member` lookup, or a decorator that says so (`@admin_only`)."""
    if any(AUTH.search(ast.unparse(d)) for d in function.decorator_list):
        return True
    for node in iter_body(function):
        if isinstance(node, ast.If | ast.While | ast.Assert | ast.IfExp):
            if checks_identity(ast.unparse(node.test)):
                return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _CHAT_ADMIN_LOOKUPS
        ):
            return True
    return False


# Calls that change something: the database, a chat's members, money, or a dialogue state.
_EFFECTS = frozenset(
    {
        "commit", "add", "add_all", "delete", "flush", "save", "update", "insert", "merge",
        "insert_one", "update_one", "update_many", "delete_one", "delete_many", "hset", "incr",
        "set", "execute",
    }
)  # fmt: skip
_TELEGRAM_EFFECTS = frozenset(
    {
        "ban_chat_member", "kick_chat_member", "unban_chat_member", "restrict_chat_member",
        "promote_chat_member", "refund_star_payment", "set_state", "ban", "kick", "restrict",
    }
)  # fmt: skip
_CHAT_ITEMS = ("_message", "_messages", "_markup", "_keyboard", "_commands")
_SENDS = frozenset({"send_message", "copy_message", "forward_message", "send_photo", "copy_to"})
_ACTION_NAMES = re.compile(r"^_?(set|add|remove|delete|update|grant|ban|unban|give|broadcast)_")
_COSMETIC = re.compile(r"message|msg|callback|query|\bbot\b|\bcall\b|\bc\b")


def has_effect(function: FunctionNode) -> bool:
    """The function changes something (a write, a member's rights, a refund, a dialogue state
    an admin flow continues from, messages sent in a loop), not only shows or answers."""
    for node in iter_body(function):
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Name | ast.Attribute)
            and (dotted_name(node.value) or "").rsplit(".", 1)[-1].isupper()
        ):
            return True  # a PTB conversation moving to its next state
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        receiver = ast.unparse(func.value).lower() if isinstance(func, ast.Attribute) else ""
        if name in _TELEGRAM_EFFECTS:
            return True
        if _COSMETIC.search(receiver) or name.endswith(_CHAT_ITEMS):
            continue  # `callback.message.delete()`, `bot.delete_message(...)`: the chat, not data
        if name in _EFFECTS or _ACTION_NAMES.match(name):
            return True
    return _sends_in_loop(function)


def _sends_in_loop(function: FunctionNode) -> bool:
    loops = (n for n in iter_body(function) if isinstance(n, ast.For | ast.AsyncFor | ast.While))
    return any(
        isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Attribute)
        and inner.func.attr in _SENDS
        for loop in loops
        for inner in ast.walk(loop)
    )


def handler_privilege(handler: Handler) -> str | None:
    """How a handler says it is privileged: `command /ban`, `'admin_stats'` (callback data
    or button text in its filters), `` `give_balance` `` (its name); None for ordinary ones."""
    for command in handler.commands:
        if privileged(command):
            return f"command /{command}"
    for text in strings_of(handler.filters):
        if privileged(text):
            return f"'{text}'"
    short = handler.function.rsplit(".", 1)[-1]
    return f"`{short}`" if privileged(short) else None


def route_privilege(route: Route) -> str | None:
    if privileged(route.path):
        return f"{route.method} {route.path}"
    short = route.function.rsplit(".", 1)[-1]
    return f"{route.method} {route.path} (`{short}`)" if privileged(short) else None


# Django decorators whose names read like authorization and are not: HTTP method checks, and
# `login_not_required` (Django 5.1), which exempts a view from LoginRequiredMiddleware.
_NOT_DJANGO_AUTH = frozenset(
    {"require_GET", "require_POST", "require_safe", "require_http_methods", "login_not_required"}
)


def decorators_authenticate(function: FunctionNode) -> bool:
    """A Django / DRF view decorator that authenticates or authorizes, by the decorator's own
    name (`@login_required`, `@staff_member_required`, `@permission_required(...)`,
    `@user_passes_test(...)`, DRF `@permission_classes([...])`)."""
    for decorator in function.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ast.unparse(called).rsplit(".", 1)[-1]
        if name in _NOT_DJANGO_AUTH:
            continue
        if _WEB_AUTH.search(name) or name == "user_passes_test":
            return True
    return False


def parameters_authenticate(function: FunctionNode) -> bool:
    """A route parameter whose annotation or default authenticates, wherever its alias is
    declared (`admin: AdminUser`, `user=Depends(current_admin)`, `Security(...)`)."""
    args = function.args
    declared = [a.annotation for a in (*args.args, *args.kwonlyargs)]
    declared += [*args.defaults, *args.kw_defaults]
    return any(web_text(ast.unparse(d)) for d in declared if d is not None)
