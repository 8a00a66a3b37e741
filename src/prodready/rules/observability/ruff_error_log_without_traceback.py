"""OBS105: `logger.error(...)` inside `except` without the traceback (ruff's TRY400)."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="OBS105",
        name="error-log-without-traceback",
        title="Error logged in an except block without its traceback",
        dimension=Dimension.OBSERVABILITY,
        severity=Severity.MINOR,
        confidence=Confidence.MEDIUM,
        what=(
            "Inside an `except` block the error is logged with `logger.error(...)` or "
            "`logging.error(...)` and no `exc_info`: the record carries the message only, not "
            "the traceback. ruff recognises loggers by name (`logging`, names starting with "
            "`log` or ending in `logger`) and accepts only `exc_info=True`: it also reports "
            "`exc_info=exc`, which does log the traceback. Medium confidence: for an expected, "
            "fully described failure (a user who blocked the bot) a traceback adds nothing."
        ),
        why=(
            "The log line says `payment webhook failed: 'NoneType' object has no attribute "
            "'id'` with no file, no line and no call chain, so the bug cannot be located "
            "without reproducing it, often impossible for a one-off webhook or a race. Error "
            "tracking gets the same: sentry-sdk turns the ERROR record into an event without "
            "a stack trace, so unrelated bugs with similar messages look alike and nobody can "
            "see which code path failed."
        ),
        fix="""Log with the traceback: `logger.exception(...)` (ERROR level plus the traceback) or
`exc_info=True` at another level; with structlog the same `exception` method exists:

```python
import structlog

logger = structlog.get_logger()


async def process_webhook(event: dict) -> None:
    try:
        await apply_event(event)
    except Exception:
        logger.exception("webhook_processing_failed", event_id=event.get("id"))
        raise
```""",
        migration=(
            "Replace `logger.error(...)` with `logger.exception(...)` in each reported handler "
            "(`ruff check --select TRY400 --fix` does it for `logging.error`; with "
            "`--unsafe-fixes` for other logger names). Where the failure is expected and "
            "handled (a blocked user, a message that was already deleted), log it at `warning` "
            "or `info` without the traceback instead, so ERROR stays reserved for things "
            "on-call must look at."
        ),
        libraries=("structlog", "sentry-sdk"),
        references=(
            "https://docs.astral.sh/ruff/rules/error-instead-of-exception/",
            "https://docs.python.org/3/library/logging.html#logging.Logger.exception",
        ),
        upstream=("TRY400",),
    )
)
