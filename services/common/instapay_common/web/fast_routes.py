"""Internal endpoints on a transfer's hot path as plain Starlette routes.

Every transfer calls the auth service (PIN) and the user service (recipient and sender): two
extra HTTP hops. Through FastAPI each paid ~0.4-0.8 ms of CPU for dependency solving (an
AsyncExitStack per request, yield dependencies, a session object) and response-model
serialisation before any work - as much as the work itself (docs/PERFORMANCE.md, "Fast internal
routes"). These routes keep what matters: the constant-time internal token check, pydantic
validation with the same 422 problem+json as FastAPI's (`RequestValidationError` goes through the
shared handler), the shared error handlers (a route's DomainError is answered the same way), the
request-id, metrics and access-log middleware (they wrap the router); they drop the dependency
machinery and read through `rawsql` connections.

    router.add_route("/internal/users/parties", internal_endpoint(parties), methods=["GET"],
                     include_in_schema=False)
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import orjson
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from instapay_common.errors import Unauthenticated

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[Request], Awaitable[Response]]


def check_internal_token(presented: str | None, expected: str) -> None:
    """Internal calls carry `X-Internal-Token`; compared in constant time."""
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Unauthenticated("internal endpoint: missing or wrong service credentials")


def internal_endpoint(handler: Handler) -> Handler:
    """`handler` runs only for callers holding the internal token (401 problem+json otherwise)."""

    async def endpoint(request: Request) -> Response:
        check_internal_token(
            request.headers.get("x-internal-token"), request.app.state.settings.internal_token.get_secret_value()
        )
        return await handler(request)

    endpoint.__name__ = handler.__name__  # route name, metrics and logs show the handler's
    return endpoint


def _refused(exc: ValidationError, where: str) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": (where, *e["loc"])} for e in exc.errors(include_url=False)])


async def body_as(request: Request, model: type[M]) -> M:
    """The JSON body validated by `model`; 422 problem+json (field errors) when it does not fit."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        raise _refused(exc, "body") from None


def query_as(request: Request, model: type[M]) -> M:
    """The query parameters validated by `model` (one value per name; the last one wins)."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise _refused(exc, "query") from None


def json_response(content: Mapping[str, Any] | BaseModel, status_code: int = 200) -> Response:
    body = content.model_dump_json().encode() if isinstance(content, BaseModel) else orjson.dumps(content)
    return Response(body, status_code=status_code, media_type="application/json")
