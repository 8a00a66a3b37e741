"""Health check and the admin API used by the support team."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db.base import SessionLocal
from app.db.repositories.payments import PaymentRepository
from app.db.repositories.subscriptions import SubscriptionRepository
from app.services.subscriptions import AlreadyRefunded, PaymentNotFound, SubscriptionService, utcnow


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


async def require_admin(x_admin_token: Annotated[str, Header()]) -> None:
    expected = get_settings().admin_api_token.get_secret_value()
    if not secrets.compare_digest(x_admin_token.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad admin token")


SessionDep = Annotated[AsyncSession, Depends(get_session)]

health_router = APIRouter(tags=["health"])
router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


class UserSummary(BaseModel):
    user_id: int
    status: str | None
    expires_at: datetime | None
    payments: int
    stars_paid: int


class RefundOut(BaseModel):
    charge_id: str
    user_id: int
    stars: int
    refunded_at: datetime


@health_router.get("/healthz")
async def healthz(session: SessionDep) -> dict[str, str]:
    await session.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.get("/users/{user_id}")
async def user_summary(user_id: int, session: SessionDep) -> UserSummary:
    subscription = await SubscriptionRepository(session).get_by_user(user_id)
    payments, stars = await PaymentRepository(session).user_totals(user_id)
    return UserSummary(
        user_id=user_id,
        status=subscription.status.value if subscription else None,
        expires_at=subscription.expires_at if subscription else None,
        payments=payments,
        stars_paid=stars,
    )


@router.get("/stats")
async def stats(request: Request, session: SessionDep, days: int = 30) -> dict[str, Any]:
    since = utcnow() - timedelta(days=days)
    stars, usd = await PaymentRepository(session).revenue_since(since)
    by_status = await SubscriptionRepository(session).count_by_status()
    funnel = await request.app.state.analytics.fetch_funnel(days=days)
    return {
        "since": since.isoformat(),
        "revenue_stars": stars,
        "revenue_usd": round(usd, 2),
        "subscriptions": by_status,
        "funnel": funnel,
    }


@router.post("/payments/{charge_id}/refund")
async def refund_payment(charge_id: str, request: Request, session: SessionDep) -> RefundOut:
    service = SubscriptionService(session)
    try:
        payment = await service.refund(request.app.state.bot, charge_id)
    except PaymentNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such payment") from None
    except AlreadyRefunded:
        raise HTTPException(status.HTTP_409_CONFLICT, "payment already refunded") from None
    return RefundOut(
        charge_id=charge_id,
        user_id=payment.user_id,
        stars=payment.stars_amount,
        refunded_at=payment.refunded_at or utcnow(),
    )


@router.post("/exports/payments")
async def export_payments(request: Request, session: SessionDep, days: int = 1) -> dict[str, Any]:
    rows = await PaymentRepository(session).export_rows(utcnow() - timedelta(days=days))
    import_id = await request.app.state.analytics.import_payments(rows)
    return {"rows": len(rows), "import_id": import_id}
