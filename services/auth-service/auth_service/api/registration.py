"""POST /api/v1/auth/register."""

from __future__ import annotations

from fastapi import APIRouter, status

from auth_service.api.deps import ContextDep, SessionDep
from auth_service.schemas import RegisterRequest, RegisterResponse
from auth_service.service import registration
from instapay_common.errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=RegisterResponse)
async def register(body: RegisterRequest, ctx: ContextDep, session: SessionDep) -> RegisterResponse:
    return await registration.register(ctx, session, body)
