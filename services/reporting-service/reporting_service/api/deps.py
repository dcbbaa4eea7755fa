"""`Annotated` dependency aliases of the reporting service's routes."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.scopes import REPORTS_READ, ROLE_ADMIN
from instapay_common.security import Principal, require_role, require_scope


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.db.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
ReportReader = Annotated[Principal, require_scope(REPORTS_READ)]
Admin = Annotated[Principal, require_role(ROLE_ADMIN)]
