"""Background jobs that run every N seconds for the life of a service's app (a lifespan hook).

    lifespan_hooks=[periodic("wallet_gauge", lambda app: 30.0, refresh_gauge)]

A failing run is logged and retried at the next tick (the database may be away for a moment); the
job stops at shutdown through an event, not cancellation: a cancel landing inside a database call
can be swallowed by the driver.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from instapay_common.logging import get_logger

log = get_logger("periodic")


def periodic(
    name: str, every: Callable[[FastAPI], float], job: Callable[[FastAPI], Awaitable[None]]
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan hook running `job(app)` at once and then every `every(app)` seconds."""

    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()

        async def loop() -> None:
            while not stop.is_set():
                try:
                    await job(app)
                except Exception as exc:
                    log.warning("periodic_job_failed", job=name, error=type(exc).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), every(app))

        task = asyncio.create_task(loop(), name=name)
        yield
        stop.set()
        try:
            await asyncio.wait_for(task, 5)
        except TimeoutError:
            log.warning("periodic_job_stop_timeout", job=name)

    return hook
