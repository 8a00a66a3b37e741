from __future__ import annotations

from tests.analysis.project.payment_helpers import code_of


def test_body_reach_and_callers() -> None:
    code = code_of(
        {
            "svc": """
            async def grant(user_id):
                await store(user_id)

            async def store(user_id):
                ...
            """,
            "handlers": """
            from svc import grant

            async def on_paid(message):
                await grant(message.from_user.id)
            """,
        }
    )
    body = code.body("handlers.on_paid")
    assert body is not None and body.short == "on_paid" and body.path == "handlers.py"
    assert [b.name for b in code.reach("handlers.on_paid")] == [
        "handlers.on_paid",
        "svc.grant",
        "svc.store",
    ]
    assert [b.name for b in code.reach("handlers.on_paid", depth=1)] == [
        "handlers.on_paid",
        "svc.grant",
    ]
    assert code.callers("svc.grant") == ("handlers.on_paid",)
    assert code.body("missing.function") is None


def test_functions_handed_to_a_task_runner_are_reached() -> None:
    code = code_of(
        {
            "routes": """
            import asyncio

            def _credit(user_id):
                ...

            async def webhook(request, background_tasks):
                background_tasks.add_task(_credit, 1)
                await asyncio.to_thread(_credit, 2)
            """,
        }
    )
    assert [b.name for b in code.reach("routes.webhook")] == ["routes.webhook", "routes._credit"]
