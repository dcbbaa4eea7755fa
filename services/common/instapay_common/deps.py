"""FastAPI dependencies every service with a schema uses (the app lifespan creates what they return)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db import Database


def get_db(request: Request) -> Database:
    return request.app.state.db


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; routes open their own transaction (`session.begin()`)."""
    async with request.app.state.db.sessionmaker() as session:
        yield session


DatabaseDep = Annotated[Database, Depends(get_db)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
