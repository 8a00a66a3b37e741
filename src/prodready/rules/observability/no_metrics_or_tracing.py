"""OBS004: a service with neither metrics nor tracing."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.profile import first_import, service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="OBS004",
    name="no-metrics-or-tracing",
    title="No metrics or tracing for a running service",
    dimension=Dimension.OBSERVABILITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The service exports no metrics (prometheus-client, aioprometheus, an OpenTelemetry "
        "meter) and no traces: nothing measures request latency, handler errors, queue depth, "
        "payment success rate or outbound-call failures."
    ),
    why=(
        "Without numbers, degradations are invisible until users complain: a provider that "
        "answers in 8 s instead of 200 ms, a rising 429 rate from Telegram, a job queue that "
        "grows all night. Alerts need metrics; root-causing a slow update across the bot, the "
        "database and an HTTP API needs traces."
    ),
    fix="""Expose a few RED metrics (rate, errors, duration) and instrument the stack:

```python
from prometheus_client import Counter, Histogram, start_http_server

UPDATES = Counter("bot_updates_total", "Updates handled", ["type", "outcome"])
LATENCY = Histogram("bot_update_seconds", "Update handling time", ["type"])


def start_metrics(port: int = 9100) -> None:
    start_http_server(port)
```

With FastAPI, `prometheus-fastapi-instrumentator` or OpenTelemetry's FastAPI, SQLAlchemy and
httpx instrumentations give latency and error metrics and traces without touching handlers.""",
    migration=(
        "Start with three metrics — handled updates/requests by outcome, their duration, and "
        "outbound-call failures by provider — and alert on the error ratio; add OpenTelemetry "
        "tracing (`opentelemetry-instrumentation`) when several services or queues are involved."
    ),
    libraries=("prometheus-client", "opentelemetry-sdk", "opentelemetry-instrumentation"),
    references=(
        "https://prometheus.github.io/client_python/",
        "https://opentelemetry.io/docs/languages/python/",
    ),
)

_TELEMETRY = (
    "prometheus_client",
    "aioprometheus",
    "prometheus_fastapi_instrumentator",
    "django_prometheus",
    "starlette_exporter",
    "opentelemetry",
    "statsd",
    "aiostatsd",
    "datadog",
    "ddtrace",
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    profile = service_profile(ctx.project)
    if profile is None or first_import(ctx.project, _TELEMETRY) is not None:
        return
    yield ctx.finding_at(profile.entry, "no metrics or traces are exported by this service")
