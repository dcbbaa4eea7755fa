"""Favourites and recent recipients."""

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import DbDep, HistoryReader, MoneyMover, PeersDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.schemas import Favourite, FavouriteIn, FavouriteList, JsonObject, RecentRecipients
from transaction_service.service import favourites

router = APIRouter(prefix="/api/v1", tags=["favourites"], responses=PROBLEM_RESPONSES)


@router.get("/favourites", response_model=None, responses=documented(200, FavouriteList, "The caller's favourites"))
async def list_favourites(principal: HistoryReader, db: DbDep) -> JsonObject:
    return await favourites.list_favourites(db, principal=principal)


@router.post("/favourites", status_code=201, response_model=None, responses=documented(201, Favourite, "Saved"))
async def add_favourite(
    body: FavouriteIn, principal: MoneyMover, db: DbDep, peers: PeersDep, settings: SettingsDep
) -> JsonObject:
    """Saves a recipient (handle, phone or e-mail) with an optional nickname (at most 40
    characters). Already saved: 409 `favourite_exists`; more than `FAVOURITES_MAX` (50): 409
    `favourites_full`. The lookup counts on the caller's recipient budget (429)."""
    return await favourites.add(db, peers=peers, settings=settings, principal=principal, body=body)


@router.delete("/favourites/{favourite_id}", status_code=204, response_class=Response)
async def remove_favourite(favourite_id: uuid.UUID, principal: MoneyMover, db: DbDep) -> Response:
    await favourites.remove(db, principal=principal, favourite_id=favourite_id)
    return Response(status_code=204)


@router.get(
    "/recipients/recent",
    response_model=None,
    responses=documented(200, RecentRecipients, "The last 10 people the caller paid, newest first"),
)
async def recent_recipients(principal: HistoryReader, db: DbDep) -> JsonObject:
    return await favourites.recent(db, principal=principal)
