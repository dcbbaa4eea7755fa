"""Payment links (`/payment-links`) and the caller's receive code (`/users/me/receive`, routed
here by the gateway: the links, their signing key and the ledger that consumes them live here)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import DbDep, HistoryReader, MoneyMover, PeersDep, SettingsDep
from transaction_service.api.responses import documented, money_problems
from transaction_service.payment_tokens import MAX_TOKEN_CHARS
from transaction_service.schemas import (
    JsonObject,
    PaymentLink,
    PaymentLinkIn,
    PaymentLinkPage,
    ReceiveCode,
    ResolvedPaymentLink,
)
from transaction_service.service import payment_links

router = APIRouter(prefix="/api/v1", tags=["payment links"], responses=PROBLEM_RESPONSES)


@router.post(
    "/payment-links",
    status_code=201,
    response_model=None,
    responses=documented(201, PaymentLink, "Created: the link, its URL and QR code"),
)
async def create_link(
    body: PaymentLinkIn, principal: MoneyMover, db: DbDep, peers: PeersDep, settings: SettingsDep
) -> JsonObject:
    """A link (and QR code) to get paid, optionally for one amount, with a reference, an expiry,
    and single-use (a shop's dynamic code). At most `PAYMENT_LINKS_PER_DAY` a day (429)."""
    return await payment_links.create(db, peers=peers, settings=settings, principal=principal, body=body)


@router.get(
    "/payment-links",
    response_model=None,
    responses=documented(200, PaymentLinkPage, "The caller's links, newest first"),
)
async def list_links(
    principal: HistoryReader,
    db: DbDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> JsonObject:
    return await payment_links.list_links(db, settings=settings, principal=principal, limit=limit, cursor=cursor)


@router.get(
    "/payment-links/resolve",
    response_model=None,
    responses={
        **documented(200, ResolvedPaymentLink, "Who the link pays (masked name) and what it asks"),
        **money_problems(410, 423),
    },
)
async def resolve_link(
    principal: HistoryReader,
    db: DbDep,
    peers: PeersDep,
    settings: SettingsDep,
    token: Annotated[str, Query(min_length=1, max_length=MAX_TOKEN_CHARS)],
) -> JsonObject:
    """Tampered or unknown: 404 `payment_link_not_found`; expired: 410; a single-use link already
    paid: 409 `payment_link_used`. Counts on the caller's recipient lookup budget (429)."""
    return await payment_links.resolve(db, peers=peers, settings=settings, principal=principal, token=token)


@router.delete("/payment-links/{link_id}", status_code=204, response_class=Response)
async def cancel_link(link_id: uuid.UUID, principal: MoneyMover, db: DbDep) -> Response:
    """Cancels one of the caller's links (it can no longer be paid); again: 204; another's: 404."""
    await payment_links.cancel(db, principal=principal, link_id=link_id)
    return Response(status_code=204)


@router.get(
    "/users/me/receive", response_model=None, responses=documented(200, ReceiveCode, "The caller's static receive code")
)
async def receive_code(principal: HistoryReader, db: DbDep, peers: PeersDep, settings: SettingsDep) -> JsonObject:
    """The caller's own code to get paid any amount: `{handle, url, qr_svg}` (and its token)."""
    return await payment_links.receive_code(db, peers=peers, settings=settings, principal=principal)
