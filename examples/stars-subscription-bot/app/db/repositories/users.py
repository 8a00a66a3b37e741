"""Data access for bot users."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def upsert(self, user_id: int, username: str | None, language_code: str | None) -> User:
        stmt = (
            insert(User)
            .values(id=user_id, username=username, language_code=language_code)
            .on_conflict_do_update(
                index_elements=[User.id],
                set_={"username": username, "language_code": language_code},
            )
            .returning(User)
        )
        result = await self._session.scalars(stmt, execution_options={"populate_existing": True})
        return result.one()
