"""PERF001: an HTTP client, Bot or Redis client built for every update or request."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.effects import Effects
from prodready.analysis.project.model import Release, Resource
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="PERF001",
    name="client-created-per-request",
    title="Client created for every update or request",
    dimension=Dimension.PERFORMANCE,
    severity=Severity.MAJOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A function that runs for each bot update or HTTP request (a handler, route or "
        "middleware, or a function they call) builds a new `httpx.AsyncClient`, "
        "`aiohttp.ClientSession`, aiogram / PTB `Bot` or Redis client. Database engines are "
        "DB004's. Clients kept in a global or on `self` (lazily built once), returned by a "
        "factory, built in a function that caches its result, or sharing another client's "
        "session are not reported."
    ),
    why=(
        "Each client owns a connection pool: building one per call means a new TCP and TLS "
        "handshake for every request (tens to hundreds of milliseconds), no keep-alive, and "
        "under load thousands of sockets in TIME_WAIT and file-descriptor exhaustion. aiohttp "
        "documents a session per application, not per request. A `Bot` or client that is not "
        "closed leaks its session too (`Unclosed client session`), until the process runs "
        "out of memory or sockets."
    ),
    fix="""Build each client once when the service starts, reuse it, close it on shutdown:

```python
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with httpx.AsyncClient(base_url="https://api.rates.example", timeout=10.0) as client:
        app.state.rates = client
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/price")
async def price(request: Request) -> dict[str, float]:
    response = await request.app.state.rates.get("/usd")
    return {"usd": response.json()["rate"]}
```

aiogram: create the client in `main()` and pass it as Dispatcher data (`dp["rates"] = client`)
or through a middleware; handlers receive it as an argument.""",
    migration=(
        "Move construction to the entry point or lifespan, keep the client in the app state, "
        "Dispatcher data or a DI container, and give it a timeout and connection limits "
        "once; for a second Telegram bot, build its `Bot` once and reuse it. Close them in "
        "the shutdown path (see PRAC002)."
    ),
    libraries=("httpx", "aiohttp", "aiogram", "redis"),
    references=(
        "https://docs.aiohttp.org/en/stable/client_quickstart.html#make-a-request",
        "https://www.python-httpx.org/advanced/clients/#why-use-a-client",
    ),
)
_KINDS = frozenset({"http-client", "bot", "redis"})
_CLOSE = frozenset({"close", "aclose", "async with"})


def _per_call(resource: Resource) -> bool:
    """Built and dropped by this call: not kept on an object or in a global, not returned to
    a caller that may keep it, not in a caching function, not reusing another client's
    connections."""
    if resource.reused or resource.shared or "." in resource.name:
        return False
    return bool(resource.name) or resource.managed


def _closed_in(resource: Resource, releases: list[Release]) -> bool:
    last = resource.name.rsplit(".", 1)[-1]
    return resource.managed or any(
        r.function == resource.function
        and r.method in _CLOSE
        and r.receiver.removesuffix(".session").rsplit(".", 1)[-1] == last
        for r in releases
    )


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    project = ctx.project
    if service_profile(project) is None:
        return
    paths = Effects(project).request_paths
    for fact in project.facts:
        for resource in fact.resources:
            entry = paths.get(resource.function)
            if resource.kind not in _KINDS or entry is None or not _per_call(resource):
                continue
            where = resource.function.rsplit(".", 1)[-1]
            via = (
                ""
                if entry == resource.function
                else f" (reached from `{entry.rsplit('.', 1)[-1]}`)"
            )
            built = resource.constructor.rsplit(".", 1)[-1]
            if _closed_in(resource, list(fact.releases)):
                yield ctx.finding_at(
                    resource.evidence,
                    f"`{built}(...)` is built in `{where}`{via} for every update / request: "
                    "a new connection pool and TLS handshake each time",
                    severity=Severity.MINOR,
                )
            else:
                yield ctx.finding_at(
                    resource.evidence,
                    f"`{built}(...)` is built in `{where}`{via} for every update / request "
                    "and not closed there: each one leaks its connection pool",
                )
