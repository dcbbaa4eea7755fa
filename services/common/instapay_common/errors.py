"""RFC 9457 problem+json: the one error shape every service answers with.

Services raise `DomainError` subclasses from their `exceptions.py`; the handlers installed by
`install_error_handlers` turn them (and validation/HTTP errors) into problem documents.
Nothing internal (stack traces, SQL, host names) ever reaches a client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import asyncpg
import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match, Mount

from instapay_common.logging import get_logger
from instapay_common.web.request_context import current_request_id

PROBLEM_JSON = "application/problem+json"
_log = get_logger("errors")


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """OpenAPI schema of the problem document (for docs and generated clients)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    code: str
    request_id: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """Base of every error a service raises on purpose. Subclasses set status/code/title."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self, detail: str | None = None, *, headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.extra = extra or {}


class Unauthenticated(DomainError):
    status, code, title = 401, "unauthenticated", "Authentication required"


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Not allowed"


class InsufficientScope(DomainError):
    status, code, title = 403, "insufficient_scope", "Token scope does not allow this call"


class NotFound(DomainError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflict"


class ValidationFailed(DomainError):
    status, code, title = 422, "validation_error", "Request validation failed"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail, extra={"errors": errors or []})


class RateLimited(DomainError):
    status, code, title = 429, "rate_limited", "Too many requests"


class ServiceUnavailable(DomainError):
    status, code, title = 503, "service_unavailable", "A service this request needs is unavailable"


class UpstreamTimeout(DomainError):
    status, code, title = 504, "upstream_timeout", "A service this request needs did not answer in time"


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://docs.instapay.local/errors/{code}",
        "title": title,
        "status": status,
        "detail": detail or title,
        "code": code,
        "request_id": current_request_id(),
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: Sequence[str | int]) -> str:
    # ("body", "amount") -> "amount"; ("query", "limit") -> "limit"; nested -> "source.type"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def _validation_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ")


async def _domain_error(_: Request, exc: DomainError) -> Response:
    return problem_response(exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, **exc.extra)


def _error_field(err: dict[str, Any]) -> str:
    # A body that is not JSON is located at a character offset (("body", 13)): name the body.
    if err.get("type") == "json_invalid":
        return "body"
    return _field_name(err.get("loc", ()))


async def _validation_error(_: Request, exc: RequestValidationError) -> Response:
    errors = [{"field": _error_field(e), "message": _validation_message(e)} for e in exc.errors()]
    return problem_response(
        422,
        "validation_error",
        "Request validation failed",
        "; ".join(f"{e['field']}: {e['message']}" for e in errors)[:500],
        errors=errors,
    )


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> str | None:
    """Every method the request's path answers to. FastAPI declares one route per method and
    Starlette's 405 names only the methods of the first route whose path matched (`Allow: POST` on
    a path that also has GET), where RFC 9110 wants all of them in `Allow`. Each method is probed
    through the routes' own `matches` (included routers nest), only when a 405 is answered. Mounts
    match every method (the gateway serves the web app from one at `/`) and are left out; a path
    only a mount serves keeps the mounted app's own `Allow`."""
    routes = [r for r in getattr(request.scope.get("router"), "routes", ()) if not isinstance(r, Mount)]
    allowed = [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    return ", ".join(allowed) or None


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    code = _HTTP_CODES.get(exc.status_code, "error")
    title = code.replace("_", " ").capitalize()
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405 and (allowed := _allowed_methods(request)):
        headers["Allow"] = allowed
    return problem_response(exc.status_code, code, title, detail, headers=headers or None)


# SQLSTATEs of a server that is not serving right now: class 08 (connection exception) and
# 57P01-57P03 (terminated by an admin or a crash, "the database system is starting up / shutting
# down"). The asyncpg dialect raises them as plain DBAPIError, not OperationalError.
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def database_unavailable(exc: BaseException) -> bool:
    """A lost or refused database connection (PostgreSQL restarting, a dead pooled connection):
    nothing was committed, so the client may retry; not a bug worth a 500."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.orig  # type: ignore[assignment]  # DBAPIError.orig is typed as Exception | None: the driver's error
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(UNAVAILABLE_SQLSTATES):
        return True
    # SQLAlchemy's asyncpg dialect re-raises an asyncpg error it has no DBAPI class for unwrapped:
    # InternalClientError is what a pooled connection that has already read the server's FATAL
    # "terminating connection" (PostgreSQL restarting) raises before its socket is closed.
    return isinstance(exc, (ConnectionError, asyncpg.InternalClientError, asyncpg.InterfaceError))


async def _unexpected_error(_: Request, exc: Exception) -> Response:
    if database_unavailable(exc):
        _log.warning("database_unavailable", error_type=type(exc).__name__)
        return problem_response(
            503,
            "service_unavailable",
            "A service this request needs is unavailable",
            "The database is not reachable right now; retry in a few seconds.",
            headers={"Retry-After": "1"},
        )
    _log.exception("unhandled_error", error_type=type(exc).__name__)
    return problem_response(
        500,
        "internal_error",
        "Internal error",
        "Something went wrong on our side; retry later or quote the request_id to support.",
    )


class UnhandledErrorMiddleware:
    """Answers an unexpected exception inside the app, as the request's own response.

    Starlette renders it in `ServerErrorMiddleware`, outside every middleware, and then re-raises
    it to the server: the 500 went out without the request's `X-Request-ID` header or its metrics
    label, and uvicorn closed the keep-alive connection, so the gateway's pool could hand that dead
    connection to the next, unrelated request (a 503). Placed inside the request-id and metrics
    middleware, this one answers the same problem document there and swallows the exception once
    it is logged. An exception after the response has started cannot be answered: it is re-raised.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = await _unexpected_error(Request(scope), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    # Starlette types handlers as taking any Exception; each of these takes the one class it is registered for.
    app.add_exception_handler(DomainError, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    # Database and connection errors are answered by ExceptionMiddleware (innermost), anything else
    # by UnhandledErrorMiddleware (create_service_app); the catch-all below is Starlette's last resort
    # for an error raised outside both (it answers, then re-raises to the server).
    app.add_exception_handler(DBAPIError, _unexpected_error)
    app.add_exception_handler(ConnectionError, _unexpected_error)
    app.add_exception_handler(asyncpg.InternalClientError, _unexpected_error)
    app.add_exception_handler(asyncpg.InterfaceError, _unexpected_error)
    app.add_exception_handler(asyncpg.PostgresConnectionError, _unexpected_error)
    app.add_exception_handler(Exception, _unexpected_error)


def problem_doc(description: str) -> dict[str, Any]:
    """An OpenAPI `responses` entry for an error answered as a problem document. `model` registers
    the schema (FastAPI lists it under application/json); the media type the errors are actually
    sent with gets the same schema, so clients and schemathesis can check them."""
    return {
        "model": Problem,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "description": description,
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: problem_doc(desc)
    for code, desc in {
        400: "Bad request",
        401: "Unauthenticated",
        403: "Forbidden",
        404: "Not found",
        409: "Conflict",
        422: "Validation error",
        429: "Rate limited",
        503: "Service unavailable",
    }.items()
}
