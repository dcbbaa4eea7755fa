"""uvicorn's httptools protocol with the limits it lacks against slow and oversized clients.

uvicorn only times out idle keep-alive connections *after* a response: a client that connects and
sends nothing, or drips its request headers a byte at a time (slowloris), would hold a connection
and a file descriptor forever, and request headers have no size limit (OWASP API4, unrestricted
resource consumption). Every service runs with
`--http instapay_common.web.http_protocol:GuardedHttpToolsProtocol`, which guarantees:

- the request line and headers must arrive within HTTP_HEADER_TIMEOUT_SECONDS (default 10) of the
  connection opening or of the previous response ending, else 408 and close;
- request line + headers above HTTP_MAX_HEADER_BYTES (default 64 KiB) -> 400 and close;
- no `server: uvicorn` header (nothing to fingerprint).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

REQUEST_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 15\r\nconnection: close\r\n\r\nRequest Timeout"
)


class HeadersTooLarge(Exception):
    """Raised inside a parser callback: httptools turns it into a parser error, uvicorn answers 400."""


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = float(os.environ.get("HTTP_HEADER_TIMEOUT_SECONDS", "10"))
        self.max_header_bytes = int(os.environ.get("HTTP_MAX_HEADER_BYTES", str(64 * 1024)))
        self._header_bytes = 0
        self._header_timer: asyncio.TimerHandle | None = None
        # The default headers are shared by every connection: filter our copy only.
        self.server_state = _WithoutServerHeader(self.server_state)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._header_timeout_expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout_expired(self) -> None:
        self._header_timer = None
        busy = self.pipeline or (self.cycle is not None and not self.cycle.response_complete)
        if not busy and not self.transport.is_closing():
            self.transport.write(REQUEST_TIMEOUT_RESPONSE)
            self.transport.close()

    # The same narrowed signature as uvicorn's own (asyncio types it with BaseTransport; TCP gives a Transport).
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        self._header_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, n: int) -> None:
        self._header_bytes += n
        if self._header_bytes > self.max_header_bytes:
            raise HeadersTooLarge

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request's headers get the same deadline


class _WithoutServerHeader(ServerState):
    """A view of uvicorn's ServerState whose default headers leave out `server`: every other
    attribute is read from and written to the real state (it has none of its own)."""

    _state: ServerState

    def __init__(self, state: ServerState) -> None:  # no super().__init__(): the state is `state`'s
        object.__setattr__(self, "_state", state)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._state, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._state, name, value)  # e.g. total_requests += 1 must count on the real state

    @property
    def default_headers(self) -> list[tuple[bytes, bytes]]:
        return [(k, v) for k, v in self._state.default_headers if k.lower() != b"server"]

    @default_headers.setter
    def default_headers(self, value: list[tuple[bytes, bytes]]) -> None:
        self._state.default_headers = value
