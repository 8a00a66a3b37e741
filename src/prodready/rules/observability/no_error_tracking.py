"""OBS002: a service with no error tracking (Sentry or an equivalent) set up."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.profile import first_import, service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="OBS002",
    name="no-error-tracking",
    title="No error tracking for a running service",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MAJOR,
    confidence=Confidence.HIGH,
    what=(
        "The project runs a bot, web app or worker, and nothing sends its unhandled exceptions "
        "to an error tracker: no `sentry_sdk.init(...)` (nor Rollbar, Bugsnag, Honeybadger, "
        "OpenTelemetry exporting exceptions)."
    ),
    why=(
        "aiogram and PTB log a handler's exception and move on; background tasks die with "
        '"Task exception was never retrieved". Without a tracker nobody is told: a payment '
        "handler can fail for every user for days before a customer complains, and the log line "
        "that explained it has rotated away. Trackers group errors, count affected users and "
        "keep the stack with local variables."
    ),
    fix="""Initialise Sentry once at start-up, before the bot or app is created:

```python
import sentry_sdk


def init_error_tracking(dsn: str, environment: str, release: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=0.05,
        send_default_pii=False,
    )
```

The FastAPI, Starlette, aiohttp, asyncio and logging integrations switch on automatically;
errors that aiogram / PTB only log are captured through the logging integration.""",
    migration=(
        "Add `sentry-sdk` to the dependencies and `SENTRY_DSN` to the settings (empty in "
        "development disables it), call the init function first thing in `main()`, and add a "
        "global error handler (`@router.errors()` / `add_error_handler`) that captures the "
        "update id as context. Alert on new issues in the team's channel."
    ),
    libraries=("sentry-sdk",),
    references=(
        "https://docs.sentry.io/platforms/python/",
        "https://docs.sentry.io/platforms/python/integrations/asyncio/",
    ),
)

_TRACKERS = ("sentry_sdk", "raven", "rollbar", "bugsnag", "honeybadger", "opentelemetry")


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    profile = service_profile(ctx.project)
    if profile is None or first_import(ctx.project, _TRACKERS) is not None:
        return
    kinds = "/".join(profile.kinds)
    yield ctx.finding_at(
        profile.entry,
        f"this {kinds} service reports unhandled errors to nothing (no sentry_sdk.init)",
    )
