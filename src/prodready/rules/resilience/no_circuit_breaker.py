"""RES006: handlers and routes call external services, and nothing breaks the circuit."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.profile import first_import, service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule
from prodready.rules.dependencies import Service, external_services

META = RuleMeta(
    id="RES006",
    name="no-circuit-breaker-for-external-calls",
    title="External services called from handlers with no circuit breaker",
    dimension=Dimension.RESILIENCE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "Bot handlers or HTTP routes reach third-party services (httpx / aiohttp / requests "
        "clients, provider SDKs such as payment or AI APIs) through the call graph, and the "
        "project has no circuit breaker or bulkhead anywhere: no purgatory, aiobreaker, "
        "pybreaker or circuitbreaker, no semaphore per dependency."
    ),
    why=(
        "When a dependency degrades — a payment provider answering in 30 s, a rates API "
        "timing out — every update that needs it waits the full timeout (and its retries). "
        "Handlers pile up holding DB sessions and HTTP connections, the polling or webhook "
        "workers saturate, and the bot stops answering even the commands that never touch "
        "that dependency: one slow partner becomes a total outage. A breaker fails fast "
        'after a few errors, serves a fallback ("payments are temporarily unavailable") and '
        "probes the dependency again later."
    ),
    fix="""Wrap each external dependency in its own breaker (and give it its own concurrency cap):

```python
import asyncio

import httpx
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState

breakers = AsyncCircuitBreakerFactory(default_threshold=5, default_ttl=30)
PAYMENTS = httpx.AsyncClient(base_url="https://pay.example.com", timeout=10.0)
PAYMENT_SLOTS = asyncio.Semaphore(20)  # bulkhead: at most 20 calls in flight


@breakers("payments")
async def create_invoice(amount: int) -> str:
    async with PAYMENT_SLOTS:
        response = await PAYMENTS.post("/invoices", json={"amount": amount})
        response.raise_for_status()
        return response.json()["url"]


async def buy(amount: int) -> str:
    try:
        return await create_invoice(amount)
    except OpenedState:
        return "Payments are temporarily unavailable, please try again in a minute."
```

aiobreaker works the same way: `breaker = CircuitBreaker(fail_max=5,
timeout_duration=timedelta(seconds=60))` and `@breaker` on the async function.""",
    migration=(
        "Start with the dependencies on paid or critical paths (payments, VPN panels, AI "
        "APIs): one breaker per service, named after it, opened on timeouts, connection "
        "errors and 5xx (not on 4xx). Put the breaker inside the retry (tenacity / stamina) "
        "so an open circuit is not retried, show users a clear fallback, and export the "
        "breaker state as a metric."
    ),
    libraries=("purgatory", "aiobreaker", "pybreaker", "tenacity", "stamina"),
    references=(
        "https://martinfowler.com/bliki/CircuitBreaker.html",
        "https://github.com/mardiros/purgatory",
        "https://learn.microsoft.com/en-us/azure/architecture/patterns/circuit-breaker",
    ),
    practices=(Practice.CIRCUIT_BREAKERS,),
)

_BREAKERS = ("purgatory", "aiobreaker", "pybreaker", "circuitbreaker", "aiocircuitbreaker")
_SHOWN = 3
_MIN_ENTRIES = 2


def _short(function: str) -> str:
    return function.rsplit(".", 1)[-1]


def _describe(service: Service) -> str:
    names = sorted(_short(entry) for entry in service.entries)
    more = f", +{len(names) - _SHOWN}" if len(names) > _SHOWN else ""
    return f"{service.label} from {len(names)} ({', '.join(names[:_SHOWN])}{more})"


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if service_profile(ctx.project) is None or first_import(ctx.project, _BREAKERS):
        return
    services = external_services(ctx.project, ctx.files)
    if not services:
        return
    entries = {entry for service in services for entry in service.entries}
    if len(entries) < _MIN_ENTRIES:
        return  # one callback (an OAuth login) cannot take the service down with it
    listed = "; ".join(_describe(service) for service in services[:_SHOWN])
    more = f"; +{len(services) - _SHOWN} more" if len(services) > _SHOWN else ""
    yield ctx.finding_at(
        services[0].evidence,
        f"{len(entries)} handler(s) / route(s) call {len(services)} external service(s) with "
        f"no circuit breaker: {listed}{more}",
    )
