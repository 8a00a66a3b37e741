"""SEC020: an admin / broadcast / ban / balance handler that any user can trigger."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.project.model import Handler, Route
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.authorization import (
    body_checks,
    checks_identity,
    decorators_authenticate,
    handler_privilege,
    has_effect,
    is_state_filter,
    parameters_authenticate,
    route_privilege,
    state_groups,
    web_guard,
    web_text,
)
from prodready.rules.functions import function_node, reached_bodies
from prodready.rules.routers import handler_keys, router_guards

META = RuleMeta(
    id="SEC020",
    name="privileged-handler-without-authorization",
    title="Privileged bot handler or admin route with no authorization check",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    what=(
        "A handler whose command, callback data, button text or name says it is privileged "
        "(admin, broadcast / mailing, ban, grant, set / add / give balance) has no check of who "
        "sent the update: no filter on the user id or an admin filter on the handler "
        "(`F.from_user.id.in_(ADMINS)`, `IsAdmin()`, aiogram 2 `is_admin=True` / `user_id=`, "
        "PTB `filters.User(...)`), none on its router or a router that includes it "
        "(`router.message.filter(...)`), no admin decorator and no `if user_id not in ADMINS` "
        "in its body. For FastAPI, an `/admin` route without an authenticating dependency."
    ),
    why=(
        "Hiding a button is not access control: anyone can type `/broadcast`, send the text of "
        "an admin keyboard button, or send any callback data from a modified client. An "
        "unprotected admin handler lets any user spam every subscriber in the bot's name, ban "
        "users, credit themselves a balance or read other users' data — and Telegram "
        "attributes the abuse to the bot, which gets limited or banned."
    ),
    fix="""Put the check on the router that holds every admin handler, once:

```python
from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

ADMIN_IDS = frozenset({111111111, 222222222})  # from settings in real code

admin_router = Router(name="admin")
admin_router.message.filter(F.from_user.id.in_(ADMIN_IDS))
admin_router.callback_query.filter(F.from_user.id.in_(ADMIN_IDS))


@admin_router.message(Command("broadcast"))
async def broadcast(message: Message) -> None:
    await message.answer("Send the text to broadcast")
```

In python-telegram-bot pass `filters=filters.User(user_id=ADMIN_IDS)` to the admin
handlers; in FastAPI add `dependencies=[Depends(require_admin)]` to the admin `APIRouter`.""",
    migration=(
        "Move admin handlers into one router (or module) and filter it as above; keep the admin "
        "ids in settings (pydantic-settings), not in the code. Log every admin action with the "
        "caller's id. If roles live in the database, write a filter class "
        "(`class IsAdmin(BaseFilter)`) that reads them, and cache the answer briefly."
    ),
    libraries=("aiogram", "python-telegram-bot", "fastapi", "pydantic-settings"),
    references=(
        "https://docs.aiogram.dev/en/latest/dispatcher/filters/magic_filters.html",
        "https://docs.aiogram.dev/en/latest/dispatcher/router.html",
        "https://docs.python-telegram-bot.org/en/stable/telegram.ext.filters.html#telegram.ext.filters.User",
        "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
    ),
)


def _acts(ctx: ProjectContext, name: str) -> bool:
    """The handler, or a project function it calls (two levels down), changes something."""
    return any(has_effect(body) for _, body in reached_bodies(ctx.project, ctx.files, name, 2))


def _checked_in_body(ctx: ProjectContext, name: str, web: str = "") -> bool:
    """web: the route's framework ("" for a bot handler; "django-login" for a Django view
    under LoginRequiredMiddleware, which guards every view not marked `@login_not_required`)."""
    located = function_node(ctx.project, ctx.files, name)
    if located is None:
        return False
    node = located[1]
    if web.startswith("django") and decorators_authenticate(node):
        return True
    if web == "django-login":
        return not any("login_not_required" in ast.unparse(d) for d in node.decorator_list)
    return body_checks(node) or (bool(web) and parameters_authenticate(node))


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Only handlers that change something (a write, a ban, a refund, a broadcast, the start of
    an admin dialogue): a menu that only shows text is not reported. Low confidence when some
    router's guard could not be tied to any handler: the handler may be registered on it in a
    way the adapters cannot follow."""
    model = ctx.project.model
    guards = router_guards(ctx.files)
    linked: set[str] = set()
    groups = state_groups((c.name, c.bases) for c in ctx.project.calls.classes.values())
    found: list[tuple[Handler | Route, str]] = []
    for handler in model.handlers:
        keys = handler_keys(handler.router, handler.evidence.path)
        linked.update(keys)
        what = handler_privilege(handler) if handler.update != "errors" else None
        if what is None or any(
            checks_identity(f) or is_state_filter(f, groups) for f in handler.filters
        ):
            continue  # a step of a dialogue is reached only through its (checked) entry
        if (handler.evidence.path, handler.function.rsplit(".", 1)[-1]) in guards.internal:
            continue
        if guards.guarded(keys, handler.update) or _checked_in_body(ctx, handler.function):
            continue
        if _acts(ctx, handler.function):
            found.append((handler, what))
    login_middleware = any("login_required" in e.details for e in model.entry_points)
    for route in model.routes:
        keys = handler_keys(route.router, route.evidence.path)
        linked.update(keys)
        what = route_privilege(route) if route.receives != "telegram" else None
        if what is None or web_guard(route.dependencies) or guards.guarded(keys, "*", web_text):
            continue
        if route.function.startswith("django.contrib.admin."):
            continue  # the Django admin asks for a staff login itself
        web = (
            "django-login" if route.framework == "django" and login_middleware else route.framework
        )
        if not _checked_in_body(ctx, route.function, web) and _acts(ctx, route.function):
            found.append((route, what))
    confidence = Confidence.LOW if guards.unlinked(linked) else None
    for entity, what in found:
        short = entity.function.rsplit(".", 1)[-1]
        kind = "route" if isinstance(entity, Route) else f"{entity.update} handler"
        message = (
            f"{kind} `{short}` ({what}) runs for any user: no admin / user-id check on it, "
            "its router or in its body"
        )
        yield ctx.finding_at(entity.evidence, message, confidence=confidence)
