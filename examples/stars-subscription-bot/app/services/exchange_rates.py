"""USD value of one Telegram Star, used for revenue reporting.

Two providers: the primary paid API and a free fallback. The last good rate is cached.
"""

from __future__ import annotations

import logging
import time

import aiohttp
from tenacity import retry, retry_if_exception_type, wait_fixed

logger = logging.getLogger(__name__)

# Telegram's published rate for Stars bought in-app, used before the first refresh.
DEFAULT_USD_PER_STAR = 0.013
CACHE_TTL_SECONDS = 1800.0


class RateProviderError(Exception):
    pass


class ExchangeRateClient:
    def __init__(self, primary_url: str, fallback_url: str) -> None:
        self._primary_url = primary_url.rstrip("/")
        self._fallback_url = fallback_url.rstrip("/")
        self._primary: aiohttp.ClientSession | None = None
        self._fallback: aiohttp.ClientSession | None = None
        self._rate = DEFAULT_USD_PER_STAR
        self._fetched_at = 0.0

    async def start(self) -> None:
        self._primary = aiohttp.ClientSession(headers={"Accept": "application/json"})
        self._fallback = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=5, connect=2),
            headers={"Accept": "application/json"},
        )

    async def close(self) -> None:
        for session in (self._primary, self._fallback):
            if session is not None and not session.closed:
                await session.close()

    @retry(retry=retry_if_exception_type(aiohttp.ClientError), wait=wait_fixed(2))
    async def _fetch_primary(self) -> float:
        if self._primary is None:
            raise RuntimeError("ExchangeRateClient.start() was not called")
        async with self._primary.get(
            f"{self._primary_url}/rates/XTR", params={"quote": "USD"}
        ) as response:
            response.raise_for_status()
            payload = await response.json()
        return float(payload["rate"])

    async def _fetch_fallback(self) -> float:
        if self._fallback is None:
            raise RuntimeError("ExchangeRateClient.start() was not called")
        async with self._fallback.get(
            f"{self._fallback_url}/latest", params={"base": "XTR", "symbols": "USD"}
        ) as response:
            response.raise_for_status()
            payload = await response.json()
        return float(payload["rates"]["USD"])

    async def refresh(self) -> float:
        try:
            rate = await self._fetch_primary()
        except (aiohttp.ClientError, KeyError, ValueError) as primary_error:
            logger.warning("primary rate provider failed: %r, trying fallback", primary_error)
            try:
                rate = await self._fetch_fallback()
            except (aiohttp.ClientError, KeyError, ValueError) as fallback_error:
                raise RateProviderError("both rate providers failed") from fallback_error
        self._rate = rate
        self._fetched_at = time.monotonic()
        logger.info("USD per Star refreshed: %s", rate)
        return rate

    async def usd_per_star(self) -> float:
        if time.monotonic() - self._fetched_at > CACHE_TTL_SECONDS:
            try:
                return await self.refresh()
            except RateProviderError:
                logger.warning("using stale USD/Star rate %s", self._rate)
        return self._rate
