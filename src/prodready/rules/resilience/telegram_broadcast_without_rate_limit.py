"""RES005: Telegram sends awaited once per user or chat of a collection, unthrottled."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.project.profile import first_import
from prodready.analysis.revisit import call_site_arguments, current_function_name, walk_semantic
from prodready.analysis.source import ParsedFile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.broadcast import Broadcast, broadcast_at, few_chats
from prodready.rules.outbound import MESSAGE_SHORTCUTS, TELEGRAM_SEND_METHODS

META = RuleMeta(
    id="RES005",
    name="telegram-broadcast-without-rate-limit",
    title="Telegram broadcast loop without a rate limit or flood-error handling",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "`bot.send_message` / `send_photo` / `copy_message` / `forward_message` (or "
        "`message.copy_to` / `send_copy`) is awaited once per user or chat of a collection — "
        "DB rows, a list of ids — with no rate limiter (aiolimiter, PTB `AIORateLimiter`, "
        "aiogram-broadcaster) and no handling of Telegram's flood error (aiogram 3 "
        "`TelegramRetryAfter`, aiogram 2 / PTB `RetryAfter`)."
    ),
    why=(
        "Telegram lets a bot send about 30 messages per second overall, one per second to one "
        "chat and 20 per minute to one group. A plain loop goes faster: Telegram answers 429 "
        "with `retry_after`, every send until then fails too, and since nothing handles the "
        "error the broadcast either stops at the first 429 (the exception ends the loop) or, "
        "under a broad `except`, silently skips a large share of the users. Repeated floods "
        "can get the bot limited for longer."
    ),
    fix="""Pace the loop with a limiter and honour `retry_after` when Telegram still says 429:

```python
import asyncio

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiolimiter import AsyncLimiter

TELEGRAM = AsyncLimiter(25, 1)  # 25 messages per second, below the ~30/s limit


async def send_one(bot: Bot, chat_id: int, text: str) -> bool:
    for _ in range(2):
        async with TELEGRAM:
            try:
                await bot.send_message(chat_id, text)
                return True
            except TelegramRetryAfter as flood:
                await asyncio.sleep(flood.retry_after)  # aiogram 2: `.timeout`
            except TelegramForbiddenError:
                return False  # the user blocked the bot
    return False


async def broadcast(bot: Bot, chat_ids: list[int], text: str) -> int:
    sent = 0
    for chat_id in chat_ids:
        sent += await send_one(bot, chat_id, text)
    return sent
```

With python-telegram-bot configure the limiter once:
`Application.builder().token(TOKEN).rate_limiter(AIORateLimiter(max_retries=3)).build()`.""",
    migration=(
        "Move broadcasts out of the handler into a background job (arq, taskiq) that records "
        "progress, so a restart resumes instead of re-sending; send through one shared "
        "`AsyncLimiter` (or PTB's `AIORateLimiter`, or aiogram-broadcaster). For large paid "
        "broadcasts `allow_paid_broadcast=True` raises the limit to 1000 messages/s for 0.1 "
        "Star per message."
    ),
    libraries=("aiolimiter", "aiogram", "python-telegram-bot", "aiogram-broadcaster", "arq"),
    references=(
        "https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this",
        "https://docs.python-telegram-bot.org/en/stable/telegram.ext.aioratelimiter.html",
        "https://docs.aiogram.dev/en/latest/api/methods/send_message.html",
    ),
    practices=(Practice.RETRY_BACKOFF,),
)

_SENDERS = TELEGRAM_SEND_METHODS | MESSAGE_SHORTCUTS
# Libraries that throttle (and retry) every send of the bot once configured.
_AIOGRAM2 = ("aiogram.utils.exceptions", "aiogram.utils.executor", "aiogram.dispatcher")
_GLOBAL_LIMITERS = ("telegram.ext.AIORateLimiter", "aiogram_broadcaster")


def _candidate_paths(ctx: ProjectContext) -> list[str]:
    paths = {
        info.evidence.path
        for info in ctx.project.calls.functions.values()
        if any(call.rsplit(".", 1)[-1] in _SENDERS for call in info.calls)
    }
    return sorted(paths)


def _flood_error(parsed: ParsedFile, ctx: ProjectContext) -> str:
    imports = tuple(parsed.semantic.imports.bindings.values())
    if any(name.startswith("telegram") for name in imports):
        return "`telegram.error.RetryAfter`"
    aiogram = ctx.project.model.component("aiogram")
    aiogram2 = any(name.startswith(_AIOGRAM2) for name in imports)
    if aiogram2 or (aiogram is not None and aiogram.major == 2):
        return "`RetryAfter` (`.timeout`)"
    return "`TelegramRetryAfter`"


def _message(found: Broadcast, flood: str) -> tuple[str, Severity | None, Confidence | None]:
    sent = f"`{found.sender}` is awaited for each item of `{found.iterable}`"
    if found.paced or found.limited:
        how = "a limiter" if found.limited else "an `asyncio.sleep` pacing"
        text = f"{sent} with {how} but no {flood} handling: sends during a 429 window fail"
        return text, Severity.MINOR, Confidence.LOW
    text = (
        f"{sent} with no rate limit and no {flood} handling: past ~30 messages/s Telegram "
        "answers 429 and the broadcast fails"
    )
    return text, None, None


def _callers_pass_few(ctx: ProjectContext, parsed: ParsedFile, found: Broadcast) -> bool:
    """True when every call of the function hands a handful of chats to the iterated
    parameter (`_send_to(bot, [owner_id], text)`, `notify(bot, admin_ids())`)."""
    target = current_function_name(parsed)
    if target is None or found.parameter is None:
        return False
    position, name = found.parameter
    passed = call_site_arguments(ctx.project, ctx.files, target, position, name)
    return bool(passed) and all(a is not None and few_chats(a) for a in passed)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if first_import(ctx.project, _GLOBAL_LIMITERS) is not None:
        return
    for path in _candidate_paths(ctx):
        parsed = ctx.file(path)
        if parsed is None:
            continue
        for node in walk_semantic(parsed):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr not in _SENDERS:
                continue
            found = broadcast_at(node, parsed.semantic)
            if found is None or found.flood_handled or _callers_pass_few(ctx, parsed, found):
                continue
            text, severity, confidence = _message(found, _flood_error(parsed, ctx))
            yield ctx.finding(parsed, node, text, severity=severity, confidence=confidence)
