"""External services reached from handlers: labelled by host or SDK, counted by entry point."""

from __future__ import annotations

from pathlib import Path

from prodready.analysis.project.build import build_project, file_facts
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.rules.dependencies import external_services
from tests.analysis.project.helpers import parse_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules" / "resilience"


def _project(folder: str) -> tuple[list[ParsedFile], ParsedFiles]:
    root = FIXTURES / folder
    parsed = [parse_file(p, p.stem, p.name) for p in sorted(root.glob("*.py"))]
    files = ParsedFiles(
        [p.source.path for p in parsed], {p.source.path: p for p in parsed}, lambda _: None
    )
    return parsed, files


def test_services_by_host_with_the_handlers_that_reach_them() -> None:
    parsed, files = _project("RES006_bot_with_partners")
    project = build_project([file_facts(p) for p in parsed])
    services = external_services(project, files)
    found = {s.label: sorted(e.rsplit(".", 1)[-1] for e in s.entries) for s in services}
    assert found == {
        "pay.example.com (httpx)": ["buy", "check_invoice"],
        "rates.example.org (aiohttp)": ["rate"],
    }
    assert (services[0].evidence.path, services[0].evidence.line) == ("payments.py", 11)


def test_telegram_and_guarded_calls_are_not_external_services() -> None:
    for folder in ("RES006_telegram_only_ok", "RES006_bulkhead_ok", "RES006_breaker_ok"):
        parsed, files = _project(folder)
        project = build_project([file_facts(p) for p in parsed])
        assert external_services(project, files) == [], folder


def test_provider_sdks_are_labelled_by_sdk() -> None:
    handler = parse_file(
        """
        import stripe
        from aiogram import Router

        router = Router()


        @router.message()
        async def pay(message):
            stripe.PaymentIntent.create(amount=500, currency="eur")
        """,
        "handlers",
    )
    files = ParsedFiles([handler.source.path], {handler.source.path: handler}, lambda _: None)
    project = build_project([file_facts(handler)])
    assert [s.label for s in external_services(project, files)] == ["stripe SDK"]
