"""Internal routes (docs/INTERNAL_API.md): called by the auth and transaction services."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from instapay_common.internal_auth import InternalCaller
from user_service import service
from user_service.api.deps import DbSession, ReadSession
from user_service.schemas import InternalProfileOut, LookupResult, PartiesOut, ProfileCreate

router = APIRouter(prefix="/internal/users", include_in_schema=False)


@router.post("", response_model=InternalProfileOut, status_code=status.HTTP_201_CREATED)
async def create(body: ProfileCreate, _: InternalCaller, db: DbSession, response: Response) -> InternalProfileOut:
    profile, created = await service.create_profile(db, data=body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return service.internal_out(profile)


@router.get("/resolve", response_model=LookupResult)
async def resolve(_: InternalCaller, db: ReadSession, q: Annotated[str, Query(min_length=1, max_length=254)]
                  ) -> LookupResult:
    return await service.resolve(db, q=q)


@router.get("/parties", response_model=PartiesOut)
async def parties(_: InternalCaller, db: ReadSession, q: Annotated[str, Query(min_length=1, max_length=254)],
                  sender_id: uuid.UUID) -> PartiesOut:
    """A transfer's recipient (by `q`) and sender (by id) in one call and one query."""
    return await service.parties(db, q=q, sender_id=sender_id)


@router.get("/{user_id}", response_model=InternalProfileOut)
async def get(user_id: uuid.UUID, _: InternalCaller, db: ReadSession) -> InternalProfileOut:
    return service.internal_out(await service.get_profile(db, user_id=user_id))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove(user_id: uuid.UUID, _: InternalCaller, db: DbSession) -> Response:
    await service.delete_profile(db, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
