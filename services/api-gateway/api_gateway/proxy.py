"""The forwarding core: a pure ASGI layer in front of the gateway's own FastAPI routes.

Pure ASGI (no per-request Starlette Request/Response objects) and aiohttp's pooled client keep the
per-hop cost near what nginx adds; see docs/PERFORMANCE.md. Streams (SSE) are relayed chunk by chunk.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress

import aiohttp
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Receive, Scope, Send
from yarl import URL

from api_gateway.guard.streams import StreamLease
from api_gateway.routing import GATEWAY, RouteTable
from instapay_common.errors import DomainError, ServiceUnavailable, UpstreamTimeout, problem_response
from instapay_common.web.request_context import current_request_id

UPSTREAM_REQUESTS = Counter(
    "gateway_upstream_requests_total", "Requests forwarded, by upstream and outcome.", ["upstream", "outcome"]
)
UPSTREAM_LATENCY = Histogram(
    "gateway_upstream_duration_seconds",
    "Upstream answer time (headers), by upstream.",
    ["upstream"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"content-length",
    }
)
# Identity is established by the gateway from the verified token, never by the client.
CLIENT_FORBIDDEN_PREFIXES = (
    b"x-user",
    b"x-principal",
    b"x-internal",
    b"x-authenticated",
    b"x-forwarded-user",
    b"x-client-id",
    b"x-client-address",
    b"x-roles",
    b"x-scopes",
)
RESPONSE_SKIP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"})

# A guard inspects the request before forwarding; it may raise a DomainError (answered as problem+json)
# and returns extra headers to send upstream (e.g. the verified identity).
Guard = Callable[[Scope, dict[bytes, bytes]], Awaitable[list[tuple[str, str]]]]
# Admits a stream (raising RateLimited past its caps) and says when it must end.
StreamGate = Callable[[Scope], StreamLease | None]


class PayloadTooLarge(DomainError):
    status, code, title = 413, "payload_too_large", "Request body too large"


async def read_body(receive: Receive, max_body: int) -> bytes:
    """The whole request body, refusing (413) as soon as it grows past `max_body` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_body:
            raise PayloadTooLarge(f"bodies are limited to {max_body} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class GatewayProxy:
    def __init__(
        self,
        app: ASGIApp,
        *,
        table: RouteTable,
        session_getter: Callable[[], aiohttp.ClientSession],
        max_body_bytes: int,
        timeout_seconds: float,
        stream_paths: tuple[str, ...],
        guards: list[Guard] | None = None,
        address_credentials: Mapping[str, Mapping[str, str]] | None = None,
        stream_session_getter: Callable[[], aiohttp.ClientSession] | None = None,
        stream_gate: StreamGate | None = None,
        stream_check_seconds: float = 1.0,
    ) -> None:
        self.app = app
        self.table = table
        self._session = session_getter
        self.max_body = max_body_bytes
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds, connect=2.0)
        self.stream_timeout = aiohttp.ClientTimeout(total=None, connect=2.0, sock_read=None)
        self.stream_paths = frozenset(stream_paths)
        self.guards: list[Guard] = guards if guards is not None else []
        # Upstream name -> the gateway's internal credential headers: those upstreams get the
        # client address the gateway decided in X-Client-Address, which they believe only with
        # this credential (instapay_common.security.internal.client_address).
        self.address_credentials = dict(address_credentials or {})
        # Streams hold their connection while open: they get their own pool, so they can never
        # exhaust the one every ordinary call (and the revocation poller) needs.
        self._stream_session = stream_session_getter or session_getter
        self._stream_gate = stream_gate
        self._stream_check_seconds = stream_check_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        matched = self.table.match(scope["path"])
        if matched is None:
            await self.app(scope, receive, send)
            return
        prefix, upstream = matched
        scope["route_label"] = prefix + "/*"
        if upstream == GATEWAY:  # authenticated by the guard, answered by the gateway's own route
            await self.app(scope, receive, send)
            return
        try:
            await self._forward(scope, receive, send, upstream)
        except DomainError as exc:
            response = problem_response(exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, **exc.extra)
            await response(scope, receive, send)

    def _upstream_headers(self, scope: Scope, extra: list[tuple[str, str]], upstream: str) -> dict[str, str]:
        headers: dict[str, str] = {}
        for key, value in scope["headers"]:
            if key in HOP_BY_HOP or key.startswith(CLIENT_FORBIDDEN_PREFIXES) or key == b"x-request-id":
                continue
            headers[key.decode("latin-1")] = value.decode("latin-1")
        # The guard resolved the real client (trusted proxies only); upstreams see just that address,
        # never a client-written X-Forwarded-For chain.
        client_ip = scope.get("instapay.client_ip")
        client = scope.get("client")
        if client_ip:
            headers["x-forwarded-for"] = client_ip
        elif client:
            prior = headers.get("x-forwarded-for")
            headers["x-forwarded-for"] = f"{prior}, {client[0]}" if prior else client[0]
        headers["x-request-id"] = current_request_id() or ""
        credential = self.address_credentials.get(upstream)
        if credential is not None:
            headers["x-client-address"] = client_ip or (client[0] if client else "")
            headers.update(credential)
        for key, value in extra:
            headers[key] = value
        return headers

    async def _forward(self, scope: Scope, receive: Receive, send: Send, upstream: str) -> None:
        raw_headers = dict(scope["headers"])
        extra: list[tuple[str, str]] = []
        for guard in self.guards:
            extra.extend(await guard(scope, raw_headers))
        body = await read_body(receive, self.max_body)
        path = scope.get("raw_path") or scope["path"].encode()
        qs = scope.get("query_string", b"")
        target = self.table.upstreams[upstream] + path.decode("latin-1") + (("?" + qs.decode("latin-1")) if qs else "")
        streaming = scope["path"] in self.stream_paths
        lease = self._stream_gate(scope) if streaming and self._stream_gate is not None else None
        try:
            started = time.perf_counter()
            session = self._stream_session() if streaming else self._session()
            try:
                resp = await session.request(
                    scope["method"],
                    URL(target, encoded=True),
                    data=body or None,
                    headers=self._upstream_headers(scope, extra, upstream),
                    allow_redirects=False,
                    timeout=self.stream_timeout if streaming else self.timeout,
                )
            except TimeoutError:
                UPSTREAM_REQUESTS.labels(upstream, "timeout").inc()
                raise_timeout(upstream)
            except aiohttp.ClientError:
                UPSTREAM_REQUESTS.labels(upstream, "unavailable").inc()
                raise_unavailable(upstream)
            UPSTREAM_LATENCY.labels(upstream).observe(time.perf_counter() - started)
            try:
                if streaming:
                    await self._relay_stream(resp, receive, send, upstream, lease)
                else:
                    await self._relay(resp, send, upstream)
            finally:
                resp.release()
        finally:
            if lease is not None:
                lease.release()

    @staticmethod
    def _response_headers(resp: aiohttp.ClientResponse) -> list[tuple[bytes, bytes]]:
        return [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in resp.headers.items()
            if k.lower() not in RESPONSE_SKIP
        ]

    async def _relay(self, resp: aiohttp.ClientResponse, send: Send, upstream: str) -> None:
        headers = self._response_headers(resp)
        try:
            payload = await resp.read()
        except TimeoutError:
            UPSTREAM_REQUESTS.labels(upstream, "timeout").inc()
            raise_timeout(upstream)
        except aiohttp.ClientError:
            UPSTREAM_REQUESTS.labels(upstream, "unavailable").inc()
            raise_unavailable(upstream)
        UPSTREAM_REQUESTS.labels(upstream, "5xx" if resp.status >= 500 else "ok").inc()
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": resp.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def _relay_stream(
        self, resp: aiohttp.ClientResponse, receive: Receive, send: Send, upstream: str, lease: StreamLease | None
    ) -> None:
        """Relays chunk by chunk until the upstream ends, the client goes away, or the lease ends
        (token expired, session revoked): then the stream is closed; the client reconnects with
        Last-Event-ID, with a token that is still good."""
        UPSTREAM_REQUESTS.labels(upstream, "stream").inc()
        await send({"type": "http.response.start", "status": resp.status, "headers": self._response_headers(resp)})

        async def pump() -> None:
            try:
                async for chunk in resp.content.iter_any():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except (aiohttp.ClientError, TimeoutError):
                pass  # upstream went away mid-stream: end the stream

        async def client_gone() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        tasks = {asyncio.create_task(pump()), asyncio.create_task(client_gone())}
        try:
            while True:
                done, _ = await asyncio.wait(
                    tasks, timeout=self._stream_check_seconds, return_when=asyncio.FIRST_COMPLETED
                )
                if done or (lease is not None and lease.ended()):
                    break
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError, Exception):
                    await task
        with suppress(OSError, RuntimeError):  # the client may already be gone
            await send({"type": "http.response.body", "body": b""})


def raise_timeout(upstream: str) -> None:
    raise UpstreamTimeout(f"the {upstream} service did not answer in time; retry shortly")


def raise_unavailable(upstream: str) -> None:
    raise ServiceUnavailable(f"the {upstream} service is unavailable; retry shortly")
