"""Public routes: the caller's notifications (list, read, read-all)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.openapi_links import link
from notification_service import service
from notification_service.api.deps import ProfilesDep, Reader, SessionDep
from notification_service.schemas import NotificationPage

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"], responses=PROBLEM_RESPONSES)


@router.get(
    "",
    summary="List my notifications, newest first",
    response_model=NotificationPage,
    responses={
        200: {
            "links": {
                "ReadFirst": link(
                    "/api/v1/notifications/{notification_id}/read",
                    "post",
                    "Mark the newest one on the page read",
                    notification_id="$response.body#/items/0/id",
                )
            }
        }
    },
)
async def list_notifications(
    principal: Reader,
    session: SessionDep,
    profiles: ProfilesDep,
    unread_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> NotificationPage:
    """Titles and bodies are in the caller's current language preference (rendered when read)."""
    user_id = uuid.UUID(principal.user_id)
    language = await service.reader_language(profiles, user_id)
    return await service.list_page(
        session, user_id=user_id, unread_only=unread_only, limit=limit, cursor=cursor, language=language
    )


@router.post("/read-all", status_code=204, summary="Mark all my notifications read")
async def read_all(principal: Reader, session: SessionDep) -> Response:
    await service.mark_all_read(session, user_id=uuid.UUID(principal.user_id))
    return Response(status_code=204)


@router.post("/{notification_id}/read", status_code=204, summary="Mark one notification read")
async def read_one(notification_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    await service.mark_read(session, user_id=uuid.UUID(principal.user_id), notification_id=notification_id)
    return Response(status_code=204)
