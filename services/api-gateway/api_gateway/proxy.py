"""The forwarding core: a pure ASGI layer in front of the gateway's own FastAPI routes.

Pure ASGI (no per-request Starlette Request/Response objects) and aiohttp's pooled client keep the
per-hop cost near what nginx adds; see docs/PERFORMANCE.md. Streams (SSE) are relayed chunk by chunk.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping

import aiohttp
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Receive, Scope, Send
from yarl import URL

from api_gateway.routing import RouteTable
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
        started = time.perf_counter()
        try:
            resp = await self._session().request(
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
            await self._relay(resp, send, streaming, upstream)
        finally:
            resp.release()

    async def _relay(self, resp: aiohttp.ClientResponse, send: Send, streaming: bool, upstream: str) -> None:
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in resp.headers.items()
            if k.lower() not in RESPONSE_SKIP
        ]
        if not streaming:
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
            return
        UPSTREAM_REQUESTS.labels(upstream, "stream").inc()
        await send({"type": "http.response.start", "status": resp.status, "headers": headers})
        try:
            async for chunk in resp.content.iter_any():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (aiohttp.ClientError, TimeoutError):
            pass  # upstream went away mid-stream: end the stream; the client reconnects with Last-Event-ID
        await send({"type": "http.response.body", "body": b""})


def raise_timeout(upstream: str) -> None:
    raise UpstreamTimeout(f"the {upstream} service did not answer in time; retry shortly")


def raise_unavailable(upstream: str) -> None:
    raise ServiceUnavailable(f"the {upstream} service is unavailable; retry shortly")
