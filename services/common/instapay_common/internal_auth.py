"""Service-to-service authentication for internal endpoints (never routed by the gateway).

Internal calls carry `X-Internal-Token`; it is compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from instapay_common.errors import Unauthenticated


async def require_internal(request: Request,
                     x_internal_token: Annotated[str | None, Header(include_in_schema=False)] = None) -> None:
    expected: str = request.app.state.settings.internal_token.get_secret_value()
    if not x_internal_token or not hmac.compare_digest(x_internal_token.encode(), expected.encode()):
        raise Unauthenticated("internal endpoint: missing or wrong service credentials")


InternalCaller = Annotated[None, Depends(require_internal)]
