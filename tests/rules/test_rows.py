"""Which list routes return what grows with use."""

from __future__ import annotations

import pytest

from prodready.rules.rows import growing_collection


@pytest.mark.parametrize(
    ("path", "function", "expected"),
    [
        ("/admin/payments", "app.api.payments", True),
        ("/", "app.routes.users.list_all", True),
        ("/api/orders", "app.orders.list_orders", True),
        ("/games", "api.routers.catalog.list_games", False),
        ("/orders/my", "app.orders.my_orders", False),
        ("/orders/{order_id}/applications", "app.orders.applications", False),
        ("/worker/orders/active", "app.worker.active_orders", False),
        ("/admin/roles", "app.admin.users_roles", False),
        ("/tariffs", "app.catalogue.tariffs", False),
    ],
)
def test_growing_collection(path: str, function: str, expected: bool) -> None:
    assert growing_collection(path, function) is expected
