"""The LISTEN connection behind live pushes comes back at once when PostgreSQL drops it (a restart
terminates every backend), not at its next periodic check."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg

from notification_service.live import LiveHub, PgListener
from notification_service.repository import LIVE_CHANNEL


async def test_a_terminated_listen_connection_is_back_within_a_second_and_pushes_again(notifications_db):
    hub = LiveHub()
    listener = PgListener(notifications_db, hub)
    listener.check_seconds = 30.0  # only the termination callback can make it notice in time
    user = uuid.uuid4()
    wake = hub.subscribe(user)
    admin = await asyncpg.connect(listener.dsn)
    listener.start()
    try:
        await asyncio.wait_for(listener.connected.wait(), 10)
        wake.clear()
        terminated = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
        assert terminated == 1
        dropped = time.monotonic()
        while listener.connected.is_set():  # the drop is noticed ...
            assert time.monotonic() - dropped < 2, "the dropped LISTEN connection went unnoticed"
            await asyncio.sleep(0.01)
        await asyncio.wait_for(listener.connected.wait(), 2)  # ... and the connection is back
        assert time.monotonic() - dropped < 2
        wake.clear()  # the reconnect wakes every stream (a catch-up); now a new commit's NOTIFY
        await admin.execute("SELECT pg_notify($1, $2)", LIVE_CHANNEL, f"{user}:1")
        await asyncio.wait_for(wake.wait(), 2)
    finally:
        await listener.stop()
        await admin.close()
