"""`Annotated` dependency aliases of the notification service's routes."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db import Database
from instapay_common.scopes import NOTIFICATIONS
from instapay_common.security import Principal, require_scope
from notification_service.config import NotificationSettings
from notification_service.dispatcher import Dispatcher
from notification_service.live import LiveHub
from notification_service.profiles import ProfileDirectory


def get_settings(request: Request) -> NotificationSettings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.db.sessionmaker() as session:
        yield session


def get_hub(request: Request) -> LiveHub:
    return request.app.state.live_hub


def get_profiles(request: Request) -> ProfileDirectory:
    return request.app.state.profiles


def get_dispatcher(request: Request) -> Dispatcher:
    return request.app.state.dispatcher


SettingsDep = Annotated[NotificationSettings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_db)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
HubDep = Annotated[LiveHub, Depends(get_hub)]
ProfilesDep = Annotated[ProfileDirectory, Depends(get_profiles)]
DispatcherDep = Annotated[Dispatcher, Depends(get_dispatcher)]
Reader = Annotated[Principal, require_scope(NOTIFICATIONS)]
