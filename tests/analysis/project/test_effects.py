"""What functions do to the world, read from call names: classification, trusted links,
dual writes and request paths."""

from __future__ import annotations

from prodready.analysis.project import calls
from prodready.analysis.project.adapters import aiogram
from prodready.analysis.project.build import build_project, merge
from prodready.analysis.project.effects import Effects, classify
from tests.analysis.project.helpers import parse_file


def test_classify_call_names() -> None:
    assert classify("sqlalchemy.ext.asyncio.AsyncSession.commit", False).kind == "commit"  # type: ignore[union-attr]
    assert classify("httpx.AsyncClient.post", False).label == "POST (httpx)"  # type: ignore[union-attr]
    assert classify("httpx.AsyncClient.get", False).kind == "http-read"  # type: ignore[union-attr]
    assert classify("*.post", True).kind == "http-write"  # type: ignore[union-attr]
    assert classify("*.post", False) is None  # no HTTP client imported: any object's post
    assert classify("*.request", True).kind == "http-request"  # type: ignore[union-attr]
    assert classify("yookassa.Payment.create", False).kind == "sdk-write"  # type: ignore[union-attr]
    assert classify("yookassa.domain.request.PaymentRequestBuilder.set_amount", False) is None
    assert classify("openai.chat.completions.create", False).kind == "sdk-read"  # type: ignore[union-attr]
    assert classify("kryptoexpress.AsyncKryptoExpressClient.wallet.get", False).kind == "sdk-read"  # type: ignore[union-attr]
    assert classify("kryptoexpress.AsyncKryptoExpressClient", False).kind == "sdk-client"  # type: ignore[union-attr]
    assert classify("app.clients.PanelClient.create", False, frozenset({"app"})) is None
    assert classify("*.publish", False) is None  # an in-process event bus as often as a queue
    assert classify("*.enqueue_job", False).kind == "queue"  # type: ignore[union-attr]
    assert classify("redis.asyncio.Redis.publish", False).kind == "queue"  # type: ignore[union-attr]
    assert classify("*.send_message", False).kind == "telegram"  # type: ignore[union-attr]


HANDLERS = """
from aiogram import Router

from app.services import activate, only_reads

router = Router()


@router.message()
async def buy(message) -> None:
    data = {}
    data.get("x")
    await activate(message.from_user.id)
    await only_reads()
"""

SERVICES = """
import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.panel import create_user


async def activate(session: AsyncSession, user_id: int) -> None:
    await session.commit()
    await create_user(user_id)


async def only_reads(session: AsyncSession, client: httpx.AsyncClient) -> None:
    await client.get("https://x.io")
    await session.commit()
"""

PANEL = """
import httpx


async def create_user(client: httpx.AsyncClient, user_id: int) -> None:
    await client.post("https://panel.example.com/users")


async def get(client: httpx.AsyncClient) -> None:
    await client.post("https://panel.example.com/other")
"""


def _project():  # type: ignore[no-untyped-def]
    facts = []
    for module, text in (
        ("app.handlers", HANDLERS),
        ("app.services", SERVICES),
        ("app.panel", PANEL),
    ):
        parsed = parse_file(text, module)
        imports = tuple(sorted(set(parsed.semantic.imports.bindings.values())))
        parts = [calls.extract(parsed), aiogram.extract(parsed)]
        facts.append(merge(parts, parsed.source.path, module, imports))
    return build_project(facts)


def test_dual_writes_are_reported_at_the_innermost_flow() -> None:
    effects = Effects(_project())
    flows = [(d.function.name, d.commit.effect.kind, d.write.path) for d in effects.dual_writes]
    assert flows == [
        ("app.services.activate", "commit", ("app.services.activate", "app.panel.create_user"))
    ]


def test_generic_unresolved_names_are_not_followed() -> None:
    effects = Effects(_project())
    assert "app.panel.get" not in effects.callees("app.handlers.buy")  # `data.get(...)`
    assert set(effects.request_paths) == {
        "app.handlers.buy",
        "app.services.activate",
        "app.services.only_reads",
        "app.panel.create_user",
    }
