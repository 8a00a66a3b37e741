from __future__ import annotations

from prodready.rules.callbacks import deduplication, first_write, route_code, verification
from tests.analysis.project.payment_helpers import code_of

ROUTE = """
from fastapi import FastAPI, Request
app = FastAPI()

@app.post("/yookassa/webhook")
async def hook(request: Request):
{body}
"""


def _route(body: str, extra: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """(how the callback is verified, how it is deduplicated) for a route with this body;
    the body's last line is taken to be the write."""
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    code = code_of({"api": ROUTE.format(body=indented), **(extra or {})})
    (route,) = code.project.model.routes
    reached = route_code(code, route)
    written = first_write(reached)
    dedup = deduplication(reached, *written) if written else None
    return verification(code.project, route, reached), dedup


WRITE = "\nuser.balance += 1"


def test_verifications() -> None:
    assert _route("ok = hmac.compare_digest(a, b)")[0] == "`hmac.compare_digest(...)` in `hook`"
    assert _route("SecurityHelper().is_ip_trusted(ip)")[0] == "`is_ip_trusted(...)` in `hook`"
    assert _route("if sign != expected:\n    return")[0] == "a signature compared in `hook`"
    assert _route("data = await request.json()" + WRITE) == (None, None)
    # a membership test on a word list is not a signature check
    assert _route("if token in BANNED:\n    return")[0] is None


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
    assert _route(stored + WRITE)[1] == "a check of the stored state in `hook`"
    seen = "seen = await repo.find(pid)\nif seen:\n    return {}"
    assert _route(seen + WRITE)[1] == "a check of the stored state in `hook`"
    assert _route("await redis.set(k, 1, nx=True)" + WRITE)[1] == "`nx=` in `hook`"
    assert _route("q = select(P).with_for_update()" + WRITE)[1] == "a row lock in `hook`"
    # a cache returns what it found; an event's own status is not stored state
    assert _route("rate = await cache.get(k)\nif rate:\n    return rate" + WRITE)[1] is None
    event = "event = await request.json()\nif event['status'] == 'paid':\n    return"
    assert _route(event + WRITE)[1] is None


def test_a_guard_after_the_write_or_below_it_protects_nothing() -> None:
    helpers = {
        "svc": (
            "async def seen(pid):\n"
            "    row = await db.fetch(pid)\n"
            "    if row.status == 'paid':\n"
            "        return True\n\n"
            "async def bonus(uid):\n"
            "    ref = await db.referral(uid)\n"
            "    if ref.status == 'rewarded':\n"
            "        return\n"
        )
    }
    before = "from svc import bonus, seen\nawait seen(1)\nuser.balance += 1"
    after = "from svc import bonus, seen\nuser.balance += 1\nawait bonus(1)"
    assert _route(before, helpers)[1] == "a check of the stored state in `seen`"
    assert _route(after, helpers)[1] is None
