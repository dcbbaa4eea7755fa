"""`Annotated` dependency aliases of the notification service's routes."""

from typing import Annotated

from fastapi import Depends, Request

from instapay_common.security.scopes import NOTIFICATIONS
from instapay_common.security.tokens import Principal, require_scope
from instapay_common.web.deps import DatabaseDep, SessionDep  # noqa: F401 - re-exported for the routes
from notification_service.config import NotificationSettings
from notification_service.dispatcher import Dispatcher
from notification_service.live import LiveHub
from notification_service.profiles import ProfileDirectory


async def get_settings(request: Request) -> NotificationSettings:
    return request.app.state.settings


async def get_hub(request: Request) -> LiveHub:
    return request.app.state.live_hub


async def get_profiles(request: Request) -> ProfileDirectory:
    return request.app.state.profiles


async def get_dispatcher(request: Request) -> Dispatcher:
    return request.app.state.dispatcher


SettingsDep = Annotated[NotificationSettings, Depends(get_settings)]
HubDep = Annotated[LiveHub, Depends(get_hub)]
ProfilesDep = Annotated[ProfileDirectory, Depends(get_profiles)]
DispatcherDep = Annotated[Dispatcher, Depends(get_dispatcher)]
Reader = Annotated[Principal, require_scope(NOTIFICATIONS)]
