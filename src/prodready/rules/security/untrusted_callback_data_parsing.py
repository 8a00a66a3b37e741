"""SEC021: callback data or webhook JSON parsed by hand, trusting its shape."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.model import Handler
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.authorization import body_checks, checks_identity, privileged
from prodready.rules.callback_parsing import (
    Parse,
    anchored_filter,
    callback_parses,
    filter_prefixes,
    json_indexes,
    user_rows,
)
from prodready.rules.functions import function_node
from prodready.rules.routers import RouterGuards, handler_keys, router_guards

META = RuleMeta(
    id="SEC021",
    name="untrusted-callback-data-parsing",
    title="Callback data or webhook JSON parsed by hand without validation",
    dimension=Dimension.SECURITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A callback-query handler takes `callback.data` / `query.data` apart by hand — "
        "`data.split(':')[1]`, `a, b = data.split('_')`, `int(data.split('_')[2])` — with no "
        "CallbackData factory, no anchored regex filter, no length or `isdigit()` check and no "
        "`try`; or a web route indexes `await request.json()` directly (`data['object']['id']`) "
        "with no pydantic model. Major when the parsed id selects a user-owned object (an "
        "order, a payment, a key) and the handler never compares its owner with the caller."
    ),
    why=(
        "Callback data comes from the client: the Bot API warns that a message may hold no "
        "button with the data received, and a modified client can send any string up to 64 "
        "bytes. A crafted value raises `IndexError` / `ValueError` in the handler (errors "
        "flood the logs and the tracker, the user's spinner hangs), and a numeric id changed "
        "by hand opens, cancels or refunds someone else's order when ownership is not "
        "checked. Webhook bodies indexed directly turn any unexpected payload into a 500 that "
        "the provider retries."
    ),
    fix="""Parse callback data with a typed factory and check ownership:

```python
from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery

router = Router()


class OrderAction(CallbackData, prefix="order"):
    action: str
    order_id: int


@router.callback_query(OrderAction.filter(F.action == "cancel"))
async def cancel_order(callback: CallbackQuery, callback_data: OrderAction, orders) -> None:
    order = await orders.get(callback_data.order_id)
    if order is None or order.user_id != callback.from_user.id:
        await callback.answer("Not found", show_alert=True)
        return
    await orders.cancel(order)
    await callback.answer("Cancelled")
```

Build the buttons with `OrderAction(action="cancel", order_id=order.id).pack()`. In
python-telegram-bot use an anchored `pattern=r"^cancel:(\\d+)$"` (or arbitrary callback data);
for webhooks declare a pydantic model and let FastAPI validate the body.""",
    migration=(
        "Define one `CallbackData` class per button family and replace `split` parsing "
        "handler by handler (old buttons keep working if the prefix and separator stay the "
        "same). Add the ownership check wherever an id from the button selects a row. For "
        "provider webhooks, model only the fields you use with pydantic and return 400 on "
        "validation errors instead of 500."
    ),
    libraries=("aiogram", "pydantic"),
    references=(
        "https://core.telegram.org/bots/api#callbackquery",
        "https://docs.aiogram.dev/en/latest/dispatcher/filters/callback_data.html",
        "https://docs.pydantic.dev/latest/concepts/models/",
    ),
)


def _trusted_only(handler: Handler, node: FunctionNode, guards: RouterGuards) -> bool:
    """Only admins reach it (a checked or admin-named handler): a crafted value hurts no one
    but its sender, and SEC020 speaks for the unchecked admin ones."""
    if any(checks_identity(f) for f in handler.filters) or body_checks(node):
        return True
    if guards.guarded(handler_keys(handler.router, handler.evidence.path), handler.update):
        return True
    return bool(privileged(handler.function) or privileged(handler.evidence.path))


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    """Callback handlers only admins can reach are skipped."""
    guards = router_guards(ctx.files)
    seen: set[str] = set()
    for handler in ctx.project.model.handlers:
        callback = handler.update == "callback_query"
        found = function_node(ctx.project, ctx.files, handler.function) if callback else None
        if found is None or handler.function in seen or anchored_filter(handler.filters):
            continue
        seen.add(handler.function)
        if not _trusted_only(handler, found[1], guards):
            parses = callback_parses(found[1], filter_prefixes(handler.filters))
            yield from _report(ctx, found, list(parses))
    for route in ctx.project.model.routes:
        found = function_node(ctx.project, ctx.files, route.function)
        if found is not None and route.function not in seen:
            seen.add(route.function)
            yield from _report(ctx, found, list(json_indexes(found[1])), webhook=True)


def _report(
    ctx: ProjectContext,
    found: tuple[ParsedFile, FunctionNode],
    parses: list[Parse],
    webhook: bool = False,
) -> Iterator[Finding]:
    """One finding per function, on its first hand parse."""
    parsed, function = found
    if not parses:
        return
    errors = " / ".join(dict.fromkeys(p.error for p in parses))
    schema = ctx.project.model.schema
    owned = next((p.owned for p in parses if user_rows(schema, p.owned)), "")
    lines = sorted({getattr(p.node, "lineno", 0) for p in parses})
    more = f" (and {len(lines) - 1} more line(s) of `{function.name}`)" if len(lines) > 1 else ""
    source = "the request body" if webhook else "callback data"
    message = f"`{parses[0].text}`{more} trusts {source}: a crafted value raises {errors}"
    if owned:
        message += f", and the id loads `{owned}` with no owner check (another user's row)"
    severity = Severity.MAJOR if owned else None
    yield ctx.finding(parsed, parses[0].node, message, severity=severity)
