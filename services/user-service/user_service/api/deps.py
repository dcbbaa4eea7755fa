"""Dependency aliases of the user service's routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from instapay_common.security.scopes import PROFILE_READ, PROFILE_WRITE
from instapay_common.security.tokens import CurrentPrincipal, Principal, require_scope
from instapay_common.web.deps import DbDep, ReadSessionDep, SessionDep
from user_service.config import UserSettings
from user_service.recipient_budget import Budget

__all__ = [
    "DbDep",
    "LookupBudget",
    "ProfileReader",
    "ProfileWriter",
    "ReadSessionDep",
    "SessionDep",
    "SettingsDep",
]


async def get_settings(request: Request) -> UserSettings:
    settings: UserSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[UserSettings, Depends(get_settings)]

ProfileReader = Annotated[Principal, require_scope(PROFILE_READ)]
ProfileWriter = Annotated[Principal, require_scope(PROFILE_WRITE)]


async def _lookup_budget(principal: CurrentPrincipal, request: Request) -> Budget:
    # The principal's user: an API client's token acts for its owner, so all of a user's
    # clients share the user's budget.
    return Budget.of(request.app.state.db, request.app.state.settings, uuid.UUID(principal.user_id))


LookupBudget = Annotated[Budget, Depends(_lookup_budget)]
