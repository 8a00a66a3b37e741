"""RES005: Telegram sends awaited once per user or chat of a collection, unthrottled."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.project.profile import first_import
from prodready.analysis.revisit import walk_semantic
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.broadcast import (
    Broadcast,
    broadcast_at,
    callers_pass_few,
    flood_error,
    sender_paths,
)

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

_GLOBAL_LIMITERS = ("telegram.ext.AIORateLimiter", "aiogram_broadcaster")


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


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if first_import(ctx.project, _GLOBAL_LIMITERS) is not None:
        return  # PTB's AIORateLimiter / aiogram-broadcaster throttle every send of the bot
    for path in sender_paths(ctx.project):
        parsed = ctx.file(path)
        if parsed is None:
            continue
        for node in walk_semantic(parsed):
            found = broadcast_at(node, parsed.semantic) if isinstance(node, ast.Call) else None
            if found is None or found.flood_handled:
                continue
            if callers_pass_few(ctx.project, ctx.files, parsed, found):
                continue
            text, severity, confidence = _message(found, flood_error(parsed, ctx.project))
            yield ctx.finding(parsed, node, text, severity=severity, confidence=confidence)
