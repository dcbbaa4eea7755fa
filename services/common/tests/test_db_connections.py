"""Pooled connections against a real PostgreSQL: a connection the server closed is replaced
without the request noticing, reads in autocommit sessions open no transaction, and a lost
database is a 503 the client may retry, never a 500."""

import asyncio

import asyncpg
import httpx
from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from instapay_common.db.database import Database
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app


async def _terminate_backends(database_url: str, pids: list[int]) -> None:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", pids)
    finally:
        await conn.close()


async def test_a_connection_closed_by_the_server_is_replaced_on_checkout(database_url):
    db = Database(database_url, pool_size=2, max_overflow=0)
    try:
        async with db.sessionmaker() as session:
            first_pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        # The server ends that pooled connection (as when PostgreSQL restarts or kills idle ones).
        await _terminate_backends(database_url, [first_pid])
        await asyncio.sleep(0.3)  # the event loop reads the termination off the socket meanwhile
        async with db.sessionmaker() as session:
            second_pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert second_pid != first_pid
    finally:
        await db.dispose()


async def test_read_sessions_run_without_a_transaction(database_url):
    db = Database(database_url, pool_size=1, max_overflow=0)
    txid = text("SELECT txid_current()")  # assigns the running transaction an id
    try:
        async with db.read_sessionmaker() as session:
            first, second = [(await session.execute(txid)).scalar_one() for _ in range(2)]
        assert first != second, "autocommit: each statement is its own transaction (no BEGIN/ROLLBACK sent)"
        async with db.sessionmaker() as session:
            first, second = [(await session.execute(txid)).scalar_one() for _ in range(2)]
        assert first == second, "a normal session keeps one transaction across its statements"
    finally:
        await db.dispose()


router = APIRouter()


@router.get("/lost-database")
async def lost_database() -> dict:
    raise OperationalError("SELECT 1", {}, ConnectionResetError("connection was closed in the middle of operation"))


@router.get("/refused")
async def refused() -> dict:
    raise ConnectionRefusedError("[Errno 111] Connect call failed ('127.0.0.1', 5432)")


@router.get("/terminated-mid-read")
async def terminated_mid_read() -> dict:
    # What SQLAlchemy's asyncpg dialect lets through unwrapped when a pooled connection has read the
    # server's FATAL "terminating connection" but its socket is not closed yet (PostgreSQL restart).
    raise asyncpg.InternalClientError("unexpected connection state")


@router.get("/closed-connection")
async def closed_connection() -> dict:
    raise asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation")


async def test_a_lost_database_is_a_retryable_503():
    app = create_service_app(ServiceSettings(service_name="db-errors-test"), title="t", routers=[router])
    async with app.router.lifespan_context(app):
        # raise_app_exceptions left on: the 503 is answered inside the app, not re-raised to the
        # server (which would log every request of a database outage as an ASGI crash).
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for path in ("/lost-database", "/refused", "/terminated-mid-read", "/closed-connection"):
                r = await client.get(path)
                assert r.status_code == 503, (path, r.text)
                assert r.headers["content-type"] == "application/problem+json"
                assert r.headers["retry-after"] == "1"
                assert r.json()["code"] == "service_unavailable"
                assert "5432" not in r.text and "SELECT" not in r.text


# ---- PostgreSQL away (restarting): what a pool sees when it has to open a new connection ----


async def _query_status(database_url: str) -> httpx.Response:
    """GET on a service app whose route runs one query through a real Database on `database_url`."""
    db = Database(database_url, pool_size=1, max_overflow=0)
    query_router = APIRouter()

    @query_router.get("/query")
    async def query() -> dict:
        async with db.sessionmaker() as session:
            return {"one": (await session.execute(text("SELECT 1"))).scalar_one()}

    app = create_service_app(ServiceSettings(service_name="db-away-test"), title="t", routers=[query_router])
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.get("/query")
    finally:
        await db.dispose()


def _assert_retryable_503(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "1"
    assert r.json()["code"] == "service_unavailable"


async def test_no_server_on_the_unix_socket_is_a_503(tmp_path):
    # While PostgreSQL is stopped its socket file is gone: asyncpg raises FileNotFoundError,
    # which is not a ConnectionError.
    _assert_retryable_503(await _query_status(f"postgresql://postgres@/postgres?host={tmp_path}"))


async def _answer_startup_with(
    sqlstate: str, message: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """What PostgreSQL sends a new connection while it starts up or shuts down: an ErrorResponse
    to the startup packet, then it closes the socket."""
    length = int.from_bytes(await reader.readexactly(4), "big")
    await reader.readexactly(length - 4)
    fields = (
        b"".join(
            tag + value.encode() + b"\0"
            for tag, value in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", sqlstate), (b"M", message))
        )
        + b"\0"
    )
    writer.write(b"E" + (len(fields) + 4).to_bytes(4, "big") + fields)
    await writer.drain()
    writer.close()


async def test_a_server_starting_up_or_shutting_down_is_a_503(tmp_path):
    for message in ("the database system is starting up", "the database system is shutting down"):

        def handler(r, w, message=message):
            return _answer_startup_with("57P03", message, r, w)

        server = await asyncio.start_unix_server(handler, path=str(tmp_path / ".s.PGSQL.5432"))
        try:
            _assert_retryable_503(await _query_status(f"postgresql://postgres@/postgres?host={tmp_path}"))
        finally:
            server.close()
            await server.wait_closed()
