"""PRAC003: a service that serves HTTP has no health / readiness endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.practice_evidence import health
from prodready.analysis.project.profile import service_profile
from prodready.domain.finding import Finding
from prodready.domain.result import PracticeStatus
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Practice, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="PRAC003",
    name="no-health-endpoint",
    title="HTTP service without a health / readiness endpoint",
    dimension=Dimension.PRACTICES,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "The service serves HTTP — a FastAPI / Starlette / aiohttp app, or a Telegram webhook "
        "— and no route answers a probe: no `/health`, `/healthz`, `/ready`, `/readyz`, "
        "`/live` or `/ping`. Polling bots and queue workers serve no HTTP and are not asked."
    ),
    why=(
        "Load balancers, Kubernetes and Docker health checks decide from a probe whether to "
        "send traffic and whether to restart. Without one, a process whose event loop is "
        "stuck or whose database pool is exhausted still looks alive: webhooks keep arriving "
        "and time out, Telegram backs off and updates pile up, and nothing restarts it. "
        "During a deploy, traffic reaches an instance before it has connected to the database."
    ),
    fix="""Add a cheap liveness route and a readiness route that checks what the service needs:

```python
from fastapi import APIRouter, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

router = APIRouter()


@router.get("/healthz")
async def liveness() -> dict[str, str]:
    return {"status": "ok"}


def readiness_route(engine: AsyncEngine) -> APIRouter:
    ready = APIRouter()

    @ready.get("/readyz")
    async def readiness(response: Response) -> dict[str, str]:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            response.status_code = 503
            return {"database": "unavailable"}
        return {"database": "ok"}

    return ready
```""",
    migration=(
        "Expose `/healthz` (process alive, no I/O) and `/readyz` (database and Redis reachable, "
        "with a short timeout) on the same app, outside authentication; point the "
        "orchestrator's liveness and readiness probes (or the Dockerfile's HEALTHCHECK) at "
        "them. For aiohttp: `app.router.add_get('/healthz', handler)`; for Django: "
        "`path('healthz/', views.healthz)` in the root URLconf."
    ),
    libraries=("fastapi", "aiohttp"),
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://docs.docker.com/reference/dockerfile/#healthcheck",
    ),
    practices=(Practice.HEALTH_ENDPOINTS,),
)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    if service_profile(ctx.project) is None:
        return
    verdict = health(ctx.project)
    if verdict.status is not PracticeStatus.MISSING or not verdict.evidence:
        return
    routes = len(ctx.project.model.routes)
    served = f"{routes} route(s), " if routes else ""
    yield ctx.finding_at(
        verdict.evidence[0].where,
        f"this service serves HTTP ({served}{verdict.evidence[0].what}) and no "
        "route answers /health, /healthz or /readyz",
    )
