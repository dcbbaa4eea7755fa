"""Public routes: the caller's webhook endpoints and their delivery log (contract, "Webhooks").

Whose endpoints: an API client's token (client credentials) manages the endpoints of that client,
which receive its owner's events, and needs `transactions:read` (a webhook carries what that
scope lets the client poll for); a user's own session (`account:manage`) manages all of the
user's endpoints, its clients' included, and creates endpoints of the user's own.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from instapay_common.errors import PROBLEM_RESPONSES, InsufficientScope
from instapay_common.security.scopes import ACCOUNT_MANAGE, TRANSACTIONS_READ
from instapay_common.security.tokens import CurrentPrincipal
from notification_service.api.deps import DbDep, SettingsDep
from notification_service.webhooks import service
from notification_service.webhooks.repository import Owner
from notification_service.webhooks.schemas import (
    EndpointCreate,
    EndpointUpdate,
    ReplayAccepted,
    WebhookDeliveryPage,
    WebhookEndpoint,
    WebhookEndpointPage,
    WebhookEndpointWithSecret,
)
from notification_service.webhooks.transport import Lookup


async def webhook_owner(principal: CurrentPrincipal) -> Owner:
    if principal.is_api_client:
        if not principal.has_scope(TRANSACTIONS_READ):
            raise InsufficientScope(f"this call needs the '{TRANSACTIONS_READ}' scope")
        return Owner(uuid.UUID(principal.user_id), principal.client_id)
    if not principal.has_scope(ACCOUNT_MANAGE):
        raise InsufficientScope(f"this call needs the '{ACCOUNT_MANAGE}' scope")
    return Owner(uuid.UUID(principal.user_id), None)


OwnerDep = Annotated[Owner, Depends(webhook_owner)]


async def webhook_lookup(request: Request) -> Lookup:
    book: Lookup = request.app.state.webhook_sender.lookup
    return book


LookupDep = Annotated[Lookup, Depends(webhook_lookup)]

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)


@router.post(
    "/endpoints",
    status_code=201,
    response_model=WebhookEndpointWithSecret,
    summary="Create a webhook endpoint (its secret is shown only in this response)",
)
async def create_endpoint(
    body: EndpointCreate, owner: OwnerDep, db: DbDep, settings: SettingsDep, lookup: LookupDep
) -> WebhookEndpointWithSecret:
    return await service.create(
        db,
        owner=owner,
        body=body,
        allow_local=settings.webhooks_allow_local,
        lookup=lookup,
        cap=settings.webhook_max_endpoints,
    )


@router.get("/endpoints", response_model=WebhookEndpointPage, summary="List my webhook endpoints")
async def list_endpoints(owner: OwnerDep, db: DbDep) -> WebhookEndpointPage:
    return await service.list_endpoints(db, owner=owner)


@router.patch(
    "/endpoints/{endpoint_id}",
    response_model=WebhookEndpoint,
    summary="Change a webhook endpoint's URL, events, description, or enable/disable it",
)
async def update_endpoint(
    endpoint_id: uuid.UUID, body: EndpointUpdate, owner: OwnerDep, db: DbDep, settings: SettingsDep, lookup: LookupDep
) -> WebhookEndpoint:
    return await service.update(
        db, owner=owner, endpoint_id=endpoint_id, body=body, allow_local=settings.webhooks_allow_local, lookup=lookup
    )


@router.delete("/endpoints/{endpoint_id}", status_code=204, summary="Delete a webhook endpoint and its log")
async def delete_endpoint(endpoint_id: uuid.UUID, owner: OwnerDep, db: DbDep) -> Response:
    await service.delete(db, owner=owner, endpoint_id=endpoint_id)
    return Response(status_code=204)


@router.post(
    "/endpoints/{endpoint_id}/rotate-secret",
    response_model=WebhookEndpointWithSecret,
    summary="Rotate the signing secret (the previous one keeps signing for 24 h)",
)
async def rotate_secret(endpoint_id: uuid.UUID, owner: OwnerDep, db: DbDep) -> WebhookEndpointWithSecret:
    return await service.rotate(db, owner=owner, endpoint_id=endpoint_id)


@router.get(
    "/endpoints/{endpoint_id}/deliveries",
    response_model=WebhookDeliveryPage,
    summary="An endpoint's deliveries, newest first, with every attempt",
)
async def list_deliveries(
    endpoint_id: uuid.UUID,
    owner: OwnerDep,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> WebhookDeliveryPage:
    return await service.deliveries(db, owner=owner, endpoint_id=endpoint_id, limit=limit, cursor=cursor)


@router.post(
    "/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=ReplayAccepted,
    summary="Send a delivery again (same webhook-id and body) on a fresh retry schedule",
)
async def replay_delivery(
    delivery_id: Annotated[str, Path(max_length=64, examples=["msg_2f1c..."])], owner: OwnerDep, db: DbDep
) -> ReplayAccepted:
    return ReplayAccepted(id=await service.replay(db, owner=owner, delivery_id=delivery_id), status="pending")
