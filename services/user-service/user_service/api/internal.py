"""Internal routes (docs/INTERNAL_API.md): called by the auth and transaction services."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field

from instapay_common.security.internal import internal_callers
from instapay_common.web.fast_routes import internal_endpoint, json_response, query_as
from user_service import service
from user_service.api.deps import ReadSessionDep, SessionDep
from user_service.recipient_budget import Budget
from user_service.schemas import (
    DirectoryPage,
    InternalProfileOut,
    ProfileCreate,
    ProfileLookup,
    ProfileLookupOut,
    Resolution,
    VerificationState,
)

router = APIRouter(prefix="/internal/users", include_in_schema=False)
# Profiles are created and removed (a failed registration's compensation) by the auth service only.
FromAuth = Annotated[str, internal_callers("auth")]
# Sign-in by handle (auth) and transfer recipients (transaction).
FromAuthOrTransaction = Annotated[str, internal_callers("auth", "transaction")]
# A profile's contact details: transfers (transaction) and notices (notification).
FromReaders = Annotated[str, internal_callers("transaction", "notification")]


@router.post("", response_model=InternalProfileOut, status_code=status.HTTP_201_CREATED)
async def create(body: ProfileCreate, _: FromAuth, session: SessionDep, response: Response) -> InternalProfileOut:
    profile, created = await service.create_profile(session, data=body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return service.internal_out(profile)


@router.get("/resolve", response_model=Resolution)
async def resolve(
    _: FromAuthOrTransaction,
    request: Request,
    session: ReadSessionDep,
    q: Annotated[str, Query(min_length=1, max_length=254)],
    acting_user_id: uuid.UUID | None = None,
    sign_in: bool = False,
) -> Resolution:
    """A recipient (verified phone; by e-mail, verified e-mail too). `acting_user_id`: the user
    resolving a recipient (the transaction service passes it; it spends that user's lookup
    budget). `sign_in=true` (auth, a handle typed at sign-in) finds the account by handle whatever
    its verification, and spends no budget."""
    if sign_in:
        return await service.resolve_handle(session, q=q)
    budget = Budget.of(request.app.state.db, request.app.state.settings, acting_user_id) if acting_user_id else None
    return await service.resolve(session, q=q, budget=budget)


class PartiesQuery(BaseModel):
    q: str = Field(min_length=1, max_length=254)
    sender_id: uuid.UUID


async def parties(request: Request) -> Response:
    """A transfer's recipient (by `q`) and sender (by id) in one call and one query. A plain
    Starlette route (instapay_common.web.fast_routes): every transfer calls it. Declared before
    `/{user_id}`, which would otherwise match it."""
    query = query_as(request, PartiesQuery)
    db = request.app.state.db
    budget = Budget.of(db, request.app.state.settings, query.sender_id)
    return json_response(await service.parties(db, q=query.q, sender_id=query.sender_id, budget=budget))


router.add_route(
    "/internal/users/parties",
    internal_endpoint(parties, allow=("transaction",)),
    methods=["GET"],
    include_in_schema=False,
)


# The transaction service's recipient directory is rebuilt from this (`make rebuild-directory`).
FromTransaction = Annotated[str, internal_callers("transaction")]


@router.get("/directory", response_model=DirectoryPage)
async def directory(
    _: FromTransaction,
    session: ReadSessionDep,
    after: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> DirectoryPage:
    """Every profile, by user id after `after`, as the directory keeps it (`next_after`: the next
    page's `after`, null on the last page). Declared before `/{user_id}`, which would match it."""
    return await service.directory_page(session, after=after, limit=limit)


@router.post("/lookup", response_model=ProfileLookupOut)
async def lookup(body: ProfileLookup, _: FromReaders, session: ReadSessionDep) -> ProfileLookupOut:
    """Up to 500 profiles in one call and one query (`GET /{user_id}` each would be a round trip
    per recipient of a batch of notices); unknown ids are absent from `items`."""
    return await service.lookup_profiles(session, user_ids=body.ids)


@router.get("/{user_id}", response_model=InternalProfileOut)
async def get(user_id: uuid.UUID, _: FromReaders, session: ReadSessionDep) -> InternalProfileOut:
    return service.internal_out(await service.get_profile(session, user_id=user_id))


@router.put("/{user_id}/verification", status_code=status.HTTP_204_NO_CONTENT)
async def set_verification(user_id: uuid.UUID, body: VerificationState, _: FromAuth, session: SessionDep) -> Response:
    """The contact state the auth service decided (idempotent; an older version is ignored)."""
    await service.set_verification(session, user_id=user_id, state=body)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove(user_id: uuid.UUID, _: FromAuth, session: SessionDep) -> Response:
    await service.delete_profile(session, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
