"""Public user routes (through the gateway): the caller's own profile and recipient lookup."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from instapay_common.errors import PROBLEM_RESPONSES
from user_service import service
from user_service.api.deps import LookupBudget, ProfileReader, ProfileWriter, SessionDep, SettingsDep
from user_service.schemas import LookupResult, ProfileOut, ProfilePatch

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=PROBLEM_RESPONSES)


@router.get("/me", response_model=ProfileOut)
async def me(principal: ProfileReader, session: SessionDep) -> ProfileOut:
    return service.profile_out(await service.get_profile(session, user_id=uuid.UUID(principal.user_id)))


@router.patch("/me", response_model=ProfileOut)
async def update_me(
    body: ProfilePatch, principal: ProfileWriter, session: SessionDep, settings: SettingsDep
) -> ProfileOut:
    """Changes full_name, handle or preferences; any other field is refused with 422. A reserved
    handle answers 422 `handle_reserved`; one released by someone else in the last 30 days,
    409 `handle_taken`."""
    profile = await service.update_profile(
        session,
        user_id=uuid.UUID(principal.user_id),
        patch=body,
        quarantine=timedelta(days=settings.handle_quarantine_days),
    )
    return service.profile_out(profile)


@router.get("/lookup", response_model=LookupResult)
async def lookup(
    _: ProfileReader,
    budget: LookupBudget,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=254)],
) -> LookupResult:
    """Finds a recipient by handle, phone or e-mail; the name comes back masked ("Ahmed M.").
    An API client needs `profile:read` (a lookup tells who is registered); each new identifier
    spends the caller's (the user's, for an API client) lookup budget."""
    found = await service.resolve(session, q=q, budget=budget)
    return LookupResult(user_id=found.user_id, handle=found.handle, display_name=found.display_name)
