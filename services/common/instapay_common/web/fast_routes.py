"""Internal endpoints on a transfer's hot path as plain Starlette routes.

Every transfer calls the auth service (PIN) and the user service (recipient and sender): two
extra HTTP hops. Through FastAPI each paid ~0.4-0.8 ms of CPU for dependency solving (an
AsyncExitStack per request, yield dependencies, a session object) and response-model
serialisation before any work - as much as the work itself (docs/PERFORMANCE.md, "Fast internal
routes"). These routes keep what matters: the per-caller internal credential check, pydantic
validation with the same 422 problem+json as FastAPI's (`RequestValidationError` goes through the
shared handler), the shared error handlers (a route's DomainError is answered the same way), the
request-id, metrics and access-log middleware (they wrap the router); they drop the dependency
machinery and read through `rawsql` connections.

    router.add_route("/internal/users/parties", internal_endpoint(parties, allow=("transaction",)),
                     methods=["GET"], include_in_schema=False)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import orjson
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from instapay_common.security.internal import authorize_request

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[Request], Awaitable[Response]]


def internal_endpoint(handler: Handler, *, allow: Iterable[str]) -> Handler:
    """`handler` runs only for the callers in `allow`, each with its own secret
    (instapay_common.security.internal: 401 or 403 problem+json otherwise)."""
    allowed = tuple(allow)

    async def endpoint(request: Request) -> Response:
        authorize_request(request, allowed)
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
