"""Dependency aliases of the user service's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.scopes import PROFILE_READ, PROFILE_WRITE
from instapay_common.security import Principal, require_scope


async def _db(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.db.sessionmaker() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(_db)]
ProfileReader = Annotated[Principal, require_scope(PROFILE_READ)]
ProfileWriter = Annotated[Principal, require_scope(PROFILE_WRITE)]
