"""The migration runner waits for a database it cannot reach yet (a name podman's DNS does not
resolve for a moment, a port not listening yet) and gives up after its time, against a real
PostgreSQL behind a TCP forwarder that starts late."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from instapay_common.db.database import normalize_async_url
from instapay_common.db.migrations import wait_for_server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


@contextlib.asynccontextmanager
async def _late_forwarder(database_url: str, *, after: float) -> AsyncIterator[str]:
    """A URL whose port starts listening `after` seconds from now and forwards to the server."""
    url = make_url(normalize_async_url(database_url))
    socket_dir = url.query.get("host")
    port = _free_port()

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if isinstance(socket_dir, str) and socket_dir.startswith("/"):
            return await asyncio.open_unix_connection(f"{socket_dir}/.s.PGSQL.{url.port or 5432}")
        return await asyncio.open_connection(url.host or "127.0.0.1", url.port or 5432)

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await connect()
        await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))

    servers: list[asyncio.AbstractServer] = []

    async def open_later() -> None:
        await asyncio.sleep(after)
        servers.append(await asyncio.start_server(handle, "127.0.0.1", port))

    opener = asyncio.create_task(open_later())
    query = {k: v for k, v in url.query.items() if k != "host"}
    try:
        yield url.set(host="127.0.0.1", port=port, query=query).render_as_string(hide_password=False)
    finally:
        opener.cancel()
        for server in servers:
            server.close()


async def test_the_runner_waits_for_a_server_that_starts_listening_late(database_url):
    async with _late_forwarder(database_url, after=2.0) as late_url:
        engine = create_async_engine(late_url)
        started = time.monotonic()
        try:
            await wait_for_server(engine, seconds=30)
        finally:
            await engine.dispose()
    assert time.monotonic() - started >= 2.0


async def test_the_runner_gives_up_on_a_name_that_never_resolves(capsys):
    engine = create_async_engine("postgresql+asyncpg://nobody@no-such-host.invalid:5432/instapay")
    started = time.monotonic()
    try:
        with pytest.raises(OSError):
            await wait_for_server(engine, seconds=2)
    finally:
        await engine.dispose()
    assert time.monotonic() - started >= 2.0
    assert "database not reachable yet" in capsys.readouterr().err


async def test_the_runner_does_not_wait_on_a_database_that_does_not_exist(database_url, capsys):
    missing = make_url(normalize_async_url(database_url)).set(database="no_such_database_here")
    engine = create_async_engine(missing.render_as_string(hide_password=False))
    try:
        with pytest.raises(DBAPIError, match="does not exist"):
            await wait_for_server(engine, seconds=30)
    finally:
        await engine.dispose()
    assert "retrying" not in capsys.readouterr().err
