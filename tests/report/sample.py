"""Hand-built judged results the renderer tests share: a full review and an empty one."""

from __future__ import annotations

from prodready.domain.finding import Finding, Location, Note, NoteKind
from prodready.domain.result import (
    ChecklistItem,
    Issue,
    PracticeStatus,
    ReviewResult,
    ReviewScope,
    StackItem,
    Verdict,
    VerdictLevel,
)
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity

TIMEOUT_RULE = RuleMeta(
    id="RES001",
    name="aiohttp-session-without-timeout",
    title="aiohttp client without an explicit timeout",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what="An `aiohttp.ClientSession(...)` is created without `timeout=`.",
    why=(
        "aiohttp's default total timeout is **300 s**: a hung peer holds the handler and its "
        "pool slot.\n\nUnder load the pool fills and the outage of one provider becomes yours."
    ),
    fix="""Set a timeout budget on the session:

```python
import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=10, connect=3)
session = aiohttp.ClientSession(timeout=TIMEOUT)
```

Pair it with retries with backoff (`tenacity`), see [the docs](https://docs.aiohttp.org/).""",
    migration=(
        "- Create the session once at start-up with a `ClientTimeout`.\n- Close it on shutdown."
    ),
    libraries=("aiohttp", "tenacity"),
    references=("https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts",),
    practices=(Practice.RETRY_BACKOFF,),
)

PAYMENT_RULE = RuleMeta(
    id="RACE001",
    name="payment-without-idempotency",
    title="successful_payment handled without an idempotency key",
    dimension=Dimension.STATE,
    severity=Severity.BLOCKER,
    confidence=Confidence.MEDIUM,
    what="The `successful_payment` handler credits the user without checking the charge id.",
    why="Telegram redelivers updates; each redelivery credits the user again.",
    fix="""Store `telegram_payment_charge_id` under a unique constraint:

```python
stmt = insert(Payment).values(charge_id=charge_id).on_conflict_do_nothing()
```""",
    migration="Add the unique column with an Alembic migration, then deduplicate old rows.",
    libraries=("sqlalchemy", "alembic"),
    practices=(Practice.IDEMPOTENCY_KEYS,),
)

SECRET_RULE = RuleMeta(
    id="SEC001",
    name="webhook-without-secret",
    title="Webhook endpoint accepts updates without the secret token | header",
    dimension=Dimension.SECURITY,
    severity=Severity.CRITICAL,
    confidence=Confidence.LOW,
    what="The webhook route never compares `X-Telegram-Bot-Api-Secret-Token`.",
    why="Anyone who finds the URL can forge updates, including payments.",
    fix="""Check the header in constant time:

```python
if not secrets.compare_digest(header, settings.webhook_secret):
    raise HTTPException(status_code=401)
```""",
    migration="Set `secret_token=` in `setWebhook` first, then enforce the check.",
)


def _finding(rule: RuleMeta, path: str, line: int, message: str, snippet: str) -> Finding:
    return Finding(rule.id, Location(path, line, 4, line, 30), message, snippet, context="handler")


# 20 occurrences in one file and 3 in another, in the judge's order (by path, then line).
TIMEOUT_FINDINGS = tuple(
    sorted(
        (
            _finding(
                TIMEOUT_RULE,
                "app/services/rates.py" if n < 20 else "app/clients/ex|change.py",
                10 + n,
                "`ClientSession()` has no `timeout=`; aiohttp's default total is 300 s",
                "session = aiohttp.ClientSession()",
            )
            for n in range(23)
        ),
        key=lambda finding: finding.sort_key,
    )
)

PAYMENT_FINDINGS = (
    _finding(
        PAYMENT_RULE,
        "app/bot/handlers/payments.py",
        42,
        "credits `user.balance` before recording `charge_id`",
        "user.balance += payment.total_amount  # <script>alert('x')</script>",
    ),
    _finding(
        PAYMENT_RULE,
        "app/bot/handlers/payments.py",
        77,
        "renewal path <b>also</b> skips the check | twice",
        "await grant(user, `days`)",
    ),
)

SECRET_FINDINGS = (
    Finding(
        SECRET_RULE.id,
        Location("app/api/web hook.py", 12),
        "route `/webhook` reads the body without checking the secret header",
        "@app.post('/webhook')",
    ),
)

ISSUES = (
    Issue(PAYMENT_RULE, Severity.BLOCKER, Confidence.MEDIUM, PAYMENT_FINDINGS, 170.0),
    Issue(SECRET_RULE, Severity.CRITICAL, Confidence.LOW, SECRET_FINDINGS, 16.0),
    Issue(TIMEOUT_RULE, Severity.MAJOR, Confidence.HIGH, TIMEOUT_FINDINGS, 82.85),
)

CHECKLIST = (
    ChecklistItem(
        Practice.IDEMPOTENCY_KEYS,
        PracticeStatus.MISSING,
        "2 finding(s) of RACE001 show it is needed",
        (
            "app/bot/handlers/payments.py:42 (RACE001) credits `user.balance` first",
            "app/bot/handlers/payments.py:77 (RACE001) renewal <b>also</b> skips the check",
        ),
    ),
    ChecklistItem(
        Practice.GRACEFUL_SHUTDOWN,
        PracticeStatus.PRESENT,
        "`dp.start_polling(handle_signals=True)` stops polling on SIGTERM",
        ("app/main.py:80",),
    ),
    ChecklistItem(
        Practice.OUTBOX,
        PracticeStatus.NOT_NEEDED,
        "no event is published after a database commit",
    ),
    ChecklistItem(
        Practice.CIRCUIT_BREAKERS,
        PracticeStatus.NOT_ASSESSED,
        "no rule assesses this practice yet",
    ),
)

NOTES = (
    Note("migrations/bad.py", NoteKind.UNPARSABLE, "skipped: invalid syntax at line 3"),
    Note("", NoteKind.TOOL, "ruff not found; its rules were not run"),
    Note("data/dump.py", NoteKind.SKIPPED, "skipped: larger than 1 MB"),
)

VERDICT = Verdict(
    level=VerdictLevel.NOT_READY,
    reasons=(
        "1 blocker issue(s): money or data loss, a security breach or a total outage is plausible",
    ),
    top_fixes=(
        "[blocker] RACE001 successful_payment handled without an idempotency key — "
        "app/bot/handlers/payments.py:42 and 1 more",
        "[critical] SEC001 Webhook endpoint accepts updates without the secret token | header"
        " — app/api/web hook.py:12",
        "[major] RES001 aiohttp client without an explicit timeout — "
        "app/clients/ex|change.py:30 and 22 more",
    ),
)

FULL = ReviewResult(
    tool_version="0.1.0",
    scope=ReviewScope(
        root="/srv/stars-bot",
        files=17,
        lines=1305,
        stack=(
            StackItem("aiogram", "3.15", "pyproject.toml"),
            StackItem("sqlalchemy", "2.0", "import `sqlalchemy.ext.asyncio`"),
            StackItem("aiohttp"),
        ),
        rules_run=42,
    ),
    issues=ISSUES,
    checklist=CHECKLIST,
    verdict=VERDICT,
    notes=NOTES,
    suppressed=3,
    baselined=1,
    catalogue=(PAYMENT_RULE, SECRET_RULE, TIMEOUT_RULE),
    project={
        "entry_points": [
            {"kind": "webhook", "framework": "aiogram3", "evidence": "app/main.py:40"},
        ],
        "handlers": [
            {"update": "message", "function": "app.bot.start"},
            {"update": "message", "function": "app.bot.paid"},
            {"update": "pre_checkout_query", "function": "app.bot.checkout"},
        ],
        "routes": [
            {"method": "POST", "path": "/tg", "receives": "telegram"},
            {"method": "GET", "path": "/health", "receives": ""},
        ],
        "jobs": [],
        "tables": [{"name": "users"}, {"name": "payments"}],
        "layers": {"transport": ["app.bot"], "infrastructure": ["app.db", "app.repo"]},
    },
)

LIBRARY_REASON = "no service runs here: a library has no production runtime to assess"

EMPTY = ReviewResult(
    tool_version="0.1.0",
    scope=ReviewScope(root=".", files=0, lines=0),
    issues=(),
    checklist=tuple(
        ChecklistItem(practice, PracticeStatus.NOT_APPLICABLE, LIBRARY_REASON)
        for practice in Practice
    ),
    verdict=Verdict(VerdictLevel.READY, ("no blocker or critical issue",), ()),
)

SAMPLES = {"full": FULL, "empty": EMPTY}
