"""Service-to-service authentication for internal endpoints (never routed by the gateway).

Internal calls carry `X-Internal-Token`; it is compared in constant time. Plain Starlette
routes (fast_routes.py) check it with the same function.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from instapay_common.web.fast_routes import check_internal_token


async def require_internal(
    request: Request, x_internal_token: Annotated[str | None, Header(include_in_schema=False)] = None
) -> None:
    check_internal_token(x_internal_token, request.app.state.settings.internal_token.get_secret_value())


InternalCaller = Annotated[None, Depends(require_internal)]
