from __future__ import annotations

from prodready.rules.callbacks import deduplication, route_code, verification
from tests.analysis.project.payment_helpers import code_of

ROUTE = """
from fastapi import FastAPI, Request
app = FastAPI()

@app.post("/yookassa/webhook")
async def hook(request: Request):
{body}
"""


def _route(body: str, extra: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    code = code_of({"api": ROUTE.format(body=indented), **(extra or {})})
    (route,) = code.project.model.routes
    bodies = route_code(code, route)
    return verification(code.project, route, bodies), deduplication(bodies)


def test_verifications() -> None:
    assert _route("ok = hmac.compare_digest(a, b)")[0] == "`hmac.compare_digest(...)` in `hook`"
    assert _route("SecurityHelper().is_ip_trusted(ip)")[0] == "`is_ip_trusted(...)` in `hook`"
    assert _route("if sign != expected:\n    return")[0] == "a signature compared in `hook`"
    assert _route("data = await request.json()\nawait credit(data)") == (None, None)


def test_refetch_through_a_project_helper_that_calls_the_provider() -> None:
    helper = {
        "provider": (
            "import httpx\n\n"
            "async def get_payment_status(pid):\n"
            "    async with httpx.AsyncClient() as c:\n"
            "        return (await c.get(f'https://api.example/p/{pid}')).json()\n"
        )
    }
    body = "from provider import get_payment_status\nstatus = await get_payment_status(1)"
    assert _route(body, helper)[0] == "`get_payment_status(...)` fetches the payment back"


def test_deduplications() -> None:
    stored = (
        "payment = (await s.execute(q)).scalar_one_or_none()\n"
        "if payment.status == 'paid':\n    return"
    )
    assert _route(stored)[1] == "a check of the stored state in `hook`"
    assert _route("seen = await repo.find(pid)\nif seen:\n    return {}")[1] == (
        "a check of the stored state in `hook`"
    )
    assert _route("await redis.set(k, 1, nx=True)")[1] == "`nx=` in `hook`"
    assert _route("q = select(P).with_for_update()")[1] == "a row lock in `hook`"
    # a cache returns what it found; an event's own status is not stored state
    assert _route("rate = await cache.get(k)\nif rate:\n    return rate")[1] is None
    assert (
        _route("event = await request.json()\nif event['status'] == 'paid':\n    return")[1] is None
    )
