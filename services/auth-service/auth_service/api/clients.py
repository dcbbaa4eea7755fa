"""A user's third-party API clients: create (the secret is shown once), list, delete."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from auth_service.api.deps import AccountOwner, ClientInfoDep, ContextDep, DbDep, SessionDep
from auth_service.api.tokens import NO_STORE
from auth_service.schemas import ClientCreated, ClientCreateRequest, ClientList
from auth_service.service import clients
from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.openapi_links import link

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)


@router.post(
    "/clients",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientCreated,
    responses={
        201: {
            "links": {
                "DeleteClient": link(
                    "/api/v1/auth/clients/{client_id}",
                    "delete",
                    "Delete (revoke) this client",
                    client_id="$response.body#/client_id",
                )
            }
        }
    },
)
async def create_client(
    body: ClientCreateRequest,
    response: Response,
    principal: AccountOwner,
    ctx: ContextDep,
    db: DbDep,
    session: SessionDep,
    info: ClientInfoDep,
) -> ClientCreated:
    """Needs the account's password, and its PIN when `scopes` holds a money scope
    (transfers:write, wallet:withdraw); at most 10 live clients per user."""
    response.headers.update(NO_STORE)
    return await clients.create_client(
        ctx,
        db,
        session,
        user_id=uuid.UUID(principal.user_id),
        name=body.name,
        scopes=body.scopes,
        password=body.password,
        pin=body.pin,
        info=info,
    )


@router.get("/clients", response_model=ClientList)
async def list_clients(principal: AccountOwner, session: SessionDep) -> ClientList:
    return ClientList(items=await clients.list_clients(session, user_id=uuid.UUID(principal.user_id)))


@router.delete("/clients/{client_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_client(client_id: str, principal: AccountOwner, session: SessionDep) -> Response:
    await clients.delete_client(session, user_id=uuid.UUID(principal.user_id), client_id=client_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
