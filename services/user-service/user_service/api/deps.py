"""Dependency aliases of the user service's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from instapay_common.security.scopes import PROFILE_READ, PROFILE_WRITE
from instapay_common.security.tokens import Principal, require_scope
from instapay_common.web.deps import DbDep, ReadSessionDep, SessionDep
from user_service.config import UserSettings

__all__ = ["DbDep", "ProfileReader", "ProfileWriter", "ReadSessionDep", "SessionDep", "SettingsDep"]


async def get_settings(request: Request) -> UserSettings:
    settings: UserSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[UserSettings, Depends(get_settings)]

ProfileReader = Annotated[Principal, require_scope(PROFILE_READ)]
ProfileWriter = Annotated[Principal, require_scope(PROFILE_WRITE)]
