"""FastAPI dependencies every service with a schema uses (the app lifespan creates what they return)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; routes open their own transaction (`session.begin()`)."""
    async with request.app.state.db.sessionmaker() as session:
        yield session


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session without a transaction (autocommit): only for handlers whose reads are a single
    statement, so nothing needs one snapshot; saves the BEGIN and ROLLBACK round trips."""
    async with request.app.state.db.read_sessionmaker() as session:
        yield session


DbDep = Annotated[Database, Depends(get_db)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session)]
