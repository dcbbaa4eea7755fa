"""Request id propagation and access logging, as a pure ASGI middleware (no per-request task overhead)."""

from __future__ import annotations

import re
import time
import uuid
from contextvars import ContextVar

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from instapay_common.logging import get_logger

REQUEST_ID_HEADER = "x-request-id"
# Accept client ids only when they are short and boring: they end up in logs and headers.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_log = get_logger("access")


def current_request_id() -> str | None:
    return request_id_var.get()


def _incoming_request_id(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SAFE_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds `request_id` for the request, echoes it in the response, logs one access line."""

    def __init__(self, app: ASGIApp, *, quiet_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.quiet_paths = quiet_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope)
        token = request_id_var.set(request_id)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_holder = [500]
        raw_id = request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", raw_id))
                message["headers"] = headers
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            failed = True
            raise
        finally:
            path = scope.get("path", "")
            if path not in self.quiet_paths:
                _log.info(
                    "request",
                    method=scope.get("method"),
                    path=path,
                    status=status_holder[0],
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )
            # Starlette answers an unexpected error (500) in ServerErrorMiddleware, which runs outside
            # every middleware, after this one: the id stays bound then (the context is this
            # request's task's own), so that problem document (which asks the client to quote its
            # request_id) and the error's log lines carry it instead of null.
            if not failed:
                structlog.contextvars.unbind_contextvars("request_id")
                request_id_var.reset(token)
