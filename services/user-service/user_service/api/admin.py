"""Operators' routes (role `admin`, refused with 403 to everyone else, API clients included)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.security.scopes import ROLE_ADMIN
from instapay_common.security.tokens import Principal, require_role
from user_service import admin
from user_service.api.deps import ReadSessionDep
from user_service.schemas import AdminUserPage, ProfileOut

router = APIRouter(prefix="/api/v1/admin/users", tags=["admin"], responses=PROBLEM_RESPONSES)

Admin = Annotated[Principal, require_role(ROLE_ADMIN)]


@router.get("", response_model=AdminUserPage)
async def search_users(
    _: Admin,
    session: ReadSessionDep,
    q: Annotated[str, Query(min_length=1, max_length=254, description="A handle, e-mail, phone or part of a name")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> AdminUserPage:
    """Finds users by handle or e-mail (prefix), phone (E.164 or local form) or name (any part);
    newest first."""
    return await admin.search(session, q=q, limit=limit, cursor=cursor)


@router.get("/{user_id}", response_model=ProfileOut)
async def read_user(user_id: uuid.UUID, _: Admin, session: ReadSessionDep) -> ProfileOut:
    """One user's profile with its verification state; 404 `user_not_found`."""
    return await admin.read(session, user_id=user_id)
