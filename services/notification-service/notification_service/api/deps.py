"""`Annotated` dependency aliases of the notification service's routes."""

from typing import Annotated

from fastapi import Depends, Request

from instapay_common.security.internal import internal_callers
from instapay_common.security.scopes import NOTIFICATIONS
from instapay_common.security.tokens import Principal, require_scope
from instapay_common.web.deps import DbDep, SessionDep
from notification_service.config import NotificationSettings
from notification_service.dispatcher import Channels, Dispatcher
from notification_service.live import LiveHub
from notification_service.profiles import ProfileDirectory


async def get_settings(request: Request) -> NotificationSettings:
    settings: NotificationSettings = request.app.state.settings
    return settings


async def get_hub(request: Request) -> LiveHub:
    live_hub: LiveHub = request.app.state.live_hub
    return live_hub


async def get_profiles(request: Request) -> ProfileDirectory:
    profiles: ProfileDirectory = request.app.state.profiles
    return profiles


async def get_dispatcher(request: Request) -> Dispatcher:
    dispatcher: Dispatcher = request.app.state.dispatcher
    return dispatcher


async def get_channels(request: Request) -> Channels:
    channels: Channels = request.app.state.channels
    return channels


# Events arrive from the outbox relays only.
FromRelay = Annotated[str, internal_callers("relay")]
# One-time codes (verification, password reset) come from the auth service only.
FromAuth = Annotated[str, internal_callers("auth")]
SettingsDep = Annotated[NotificationSettings, Depends(get_settings)]
HubDep = Annotated[LiveHub, Depends(get_hub)]
ProfilesDep = Annotated[ProfileDirectory, Depends(get_profiles)]
DispatcherDep = Annotated[Dispatcher, Depends(get_dispatcher)]
ChannelsDep = Annotated[Channels, Depends(get_channels)]
Reader = Annotated[Principal, require_scope(NOTIFICATIONS)]

__all__ = [
    "ChannelsDep",
    "DbDep",
    "DispatcherDep",
    "FromAuth",
    "FromRelay",
    "HubDep",
    "ProfilesDep",
    "Reader",
    "SessionDep",
    "SettingsDep",
]
