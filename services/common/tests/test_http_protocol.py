"""The guarded uvicorn protocol (OWASP API4/API8) cuts off slowloris and idle
clients, refuses oversized headers, serves normal and keep-alive requests, and sends no server header."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
import uvicorn

from instapay_common.web.http_protocol import GuardedHttpToolsProtocol


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
async def server(monkeypatch):
    monkeypatch.setenv("HTTP_HEADER_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("HTTP_MAX_HEADER_BYTES", "8192")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, http=GuardedHttpToolsProtocol, log_level="warning", lifespan="off"
        )
    )
    task = asyncio.create_task(srv.serve())
    while not srv.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    yield port
    srv.should_exit = True
    await task


async def _closed_after(reader: asyncio.StreamReader, limit: float) -> tuple[float, bytes]:
    started = time.monotonic()
    data = await asyncio.wait_for(reader.read(), timeout=limit)  # read() returns at EOF
    return time.monotonic() - started, data


async def test_normal_and_keep_alive_requests_are_served_without_server_header(server):
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    for _ in range(2):
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert b"server:" not in head.lower()
        assert await reader.readexactly(2) == b"ok"
        await asyncio.sleep(0.6)  # under the header timeout between requests
    writer.close()


async def test_idle_connection_is_closed_with_408(server):
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    took, data = await _closed_after(reader, 5)
    assert 0.8 < took < 3 and data.startswith(b"HTTP/1.1 408")
    writer.close()


async def test_slowloris_is_cut_off(server):
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")

    async def drip():
        for _ in range(20):
            await asyncio.sleep(0.2)
            if writer.is_closing():
                return
            try:
                writer.write(b"X-a: b\r\n")
                await writer.drain()
            except ConnectionError:
                return

    dripper = asyncio.create_task(drip())
    took, data = await _closed_after(reader, 5)
    dripper.cancel()
    assert took < 3 and data.startswith(b"HTTP/1.1 408"), (took, data)
    writer.close()


async def test_oversized_headers_are_refused(server):
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 20_000 + b"\r\n\r\n")
    _, data = await _closed_after(reader, 5)
    assert data.startswith(b"HTTP/1.1 400"), data[:100]
    writer.close()


async def test_a_slow_handler_is_not_cut_by_the_header_timeout(monkeypatch):
    monkeypatch.setenv("HTTP_HEADER_TIMEOUT_SECONDS", "0.3")

    async def slow(scope, receive, send):
        if scope["type"] == "http":
            await asyncio.sleep(1.0)
            await app(scope, receive, send)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(
            slow, host="127.0.0.1", port=port, http=GuardedHttpToolsProtocol, log_level="warning", lifespan="off"
        )
    )
    task = asyncio.create_task(srv.serve())
    while not srv.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert head.startswith(b"HTTP/1.1 200")
        writer.close()
    finally:
        srv.should_exit = True
        await task
