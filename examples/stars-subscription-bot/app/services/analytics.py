"""Client for the product-analytics HTTP API (events, funnels, bulk imports)."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import httpx
from tenacity import RetryError, retry, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

logger = logging.getLogger(__name__)

ANALYTICS_API_KEY = os.environ.get("ANALYTICS_API_KEY", "")

_pending: set[asyncio.Task[None]] = set()


class AnalyticsClient:
    def __init__(self, base_url: str) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(10.0, connect=3.0),
            headers={"Authorization": f"Bearer {ANALYTICS_API_KEY}"},
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    @retry(stop=stop_after_attempt(5))
    async def track(self, event: str, user_id: int, properties: dict[str, Any] | None = None) -> None:
        response = await self._client.post(
            "/v1/events",
            json={"event": event, "distinct_id": str(user_id), "properties": properties or {}},
        )
        response.raise_for_status()

    def track_in_background(
        self, event: str, user_id: int, properties: dict[str, Any] | None = None
    ) -> None:
        task = asyncio.create_task(self._track_quietly(event, user_id, properties))
        _pending.add(task)
        task.add_done_callback(_pending.discard)

    async def _track_quietly(self, event: str, user_id: int, properties: dict[str, Any] | None) -> None:
        try:
            await self.track(event, user_id, properties)
        except (httpx.HTTPError, RetryError):
            logger.warning("analytics event %s for user %s dropped", event, user_id, exc_info=True)

    @retry(
        stop=stop_after_attempt(4),
        wait=wait_exponential_jitter(initial=0.5, max=8),
        retry=retry_if_exception_type(httpx.TransportError),
        reraise=True,
    )
    async def fetch_funnel(self, days: int) -> dict[str, Any]:
        response = await self._client.get("/v1/funnels/subscription", params={"days": days})
        response.raise_for_status()
        return response.json()

    async def import_payments(self, rows: list[dict[str, Any]]) -> str:
        """Bulk-upload payment rows; the API answers once the whole batch is ingested."""
        response = await self._client.post("/v1/imports/payments", json={"rows": rows}, timeout=None)
        response.raise_for_status()
        return str(response.json()["import_id"])
