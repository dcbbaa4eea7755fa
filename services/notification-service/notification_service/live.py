"""Live push of new notifications to open SSE streams.

Within a process: an in-memory fan-out (user id -> wake-up events of that user's streams).
Across replicas: the writer's transaction runs `pg_notify('notifications_new', '<user>:<seq>')`,
PostgreSQL delivers it on commit to every replica's LISTEN connection, and each replica wakes
its local streams for that user. Streams then read the rows from the database, so a wake-up
carries no data and a lost one only delays delivery until the next keep-alive re-check.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict

import asyncpg

from instapay_common.db.database import normalize_async_url
from instapay_common.logging import get_logger
from notification_service.repository import LIVE_CHANNEL

log = get_logger("live")


class LiveHub:
    def __init__(self) -> None:
        self._subscribers: dict[uuid.UUID, set[asyncio.Event]] = defaultdict(set)

    def subscribe(self, user_id: uuid.UUID) -> asyncio.Event:
        wake = asyncio.Event()
        self._subscribers[user_id].add(wake)
        return wake

    def unsubscribe(self, user_id: uuid.UUID, wake: asyncio.Event) -> None:
        subs = self._subscribers.get(user_id)
        if subs is not None:
            subs.discard(wake)
            if not subs:
                del self._subscribers[user_id]

    def publish(self, user_id: uuid.UUID) -> None:
        for wake in self._subscribers.get(user_id, ()):
            wake.set()

    def publish_all(self) -> None:
        for subs in self._subscribers.values():
            for wake in subs:
                wake.set()

    @property
    def stream_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())


class PgListener:
    """Keeps one LISTEN connection open (reconnecting) and feeds the hub."""

    check_seconds = 5.0  # how often an idle LISTEN connection is checked with a query
    retry_seconds = 0.5  # between connection attempts while the server is away

    def __init__(self, database_url: str, hub: LiveHub) -> None:
        self.dsn = normalize_async_url(database_url).replace("postgresql+asyncpg://", "postgresql://")
        self.hub = hub
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        user, _, _seq = str(payload).partition(":")
        with contextlib.suppress(ValueError):
            self.hub.publish(uuid.UUID(user))

    async def _run(self) -> None:
        while True:
            conn = None
            lost = asyncio.Event()
            try:
                conn = await asyncpg.connect(self.dsn)
                # Called by asyncpg as soon as the server closes the connection (a restart, a
                # terminated backend): reconnect at once, not at the next check, so live pushes
                # resume as soon as PostgreSQL is back.
                conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
                await conn.add_listener(LIVE_CHANNEL, self._on_notify)
                self.connected.set()
                self.hub.publish_all()  # anything committed while we were not listening
                while not conn.is_closed() and not lost.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), self.check_seconds)
                    if not lost.is_set():
                        await conn.execute("SELECT 1")  # a connection that died silently (no FIN)
                log.warning("listen_connection_lost", error="closed by the server")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError) as exc:
                log.warning("listen_connection_lost", error=str(exc))
            finally:
                self.connected.clear()
                if conn is not None and not conn.is_closed():
                    await conn.close()
            await asyncio.sleep(self.retry_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="pg-listener")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
