"""The job queue that runs scheduled transfers: procrastinate (PostgreSQL-backed), its worker
inside this service's process (a lifespan hook), on every replica.

- `schedules.scan` is a procrastinate periodic task (every `SCHEDULE_SCAN_SECONDS`): procrastinate
  defers it once per tick across all replicas. It defers one `schedules.run` job per due
  occurrence, with the queueing lock `schedule:<id>:<n>` (a second scan before that job started
  adds none).
- `schedules.run` runs the occurrence (service.schedule_runs.run_occurrence): exactly once
  whatever the queue does, so a duplicated or retried job is harmless.
- A worker killed mid-job: its transaction is rolled back by PostgreSQL; the schedule is still
  due, so the next scan (on any replica, or this one restarted) defers it again. The killed job
  stays `doing` until `schedules.retry_stalled` (every minute) retries the jobs of workers
  without a heartbeat for 30 s; that retry then finds the occurrence done or runs it.
- The worker is restarted when it stops on its own: procrastinate stops a worker whose side task
  (heartbeat, LISTEN, periodic deferrer) failed, e.g. the LISTEN connection lost and the server
  refusing a new one for a moment (a restart of PostgreSQL); without a restart the process would
  serve requests and never run a schedule again (the bank test found it).
- The schedules table is the truth and the jobs are derived from it: a crash between any two
  steps loses nothing, and no job has to be deferred in the same transaction as a schedule.

procrastinate speaks psycopg 3 (the service itself asyncpg), so the worker has its own small
pool, on the same database URL and role, with `ledger` (where migration 0009 put its tables) on
the search path.
"""

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from procrastinate import App, JobContext, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued

from instapay_common.db.database import Database
from instapay_common.logging import get_logger
from transaction_service.config import TransactionSettings
from transaction_service.service import schedule_runs

log = get_logger("scheduler")

RUN_TASK = "schedules.run"
SCAN_TASK = "schedules.scan"
RETRY_TASK = "schedules.retry_stalled"
# Jobs of workers whose heartbeat (every 10 s) is older than this are taken as dead.
STALLED_AFTER_SECONDS = 30.0
# Pause before a worker that stopped (its database went away) is started again.
RESTART_AFTER_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Deps:
    db: Database
    settings: TransactionSettings


def _deps(context: JobContext) -> Deps:
    deps = context.additional_context["deps"]
    assert isinstance(deps, Deps)
    return deps


async def run(context: JobContext, schedule_id: str, occurrence: int) -> str:
    deps = _deps(context)
    result = await schedule_runs.run_occurrence(
        deps.db, deps.settings, schedule_id=uuid.UUID(schedule_id), occurrence=occurrence
    )
    log.info("scheduled_transfer_run", schedule_id=schedule_id, occurrence=occurrence, outcome=result.outcome)
    return result.outcome


async def defer_run(app: App, schedule_id: uuid.UUID, occurrence: int) -> bool:
    """Queues the occurrence's job; False if it is queued already (not started yet)."""
    try:
        await app.configure_task(RUN_TASK, queueing_lock=f"schedule:{schedule_id}:{occurrence}").defer_async(
            schedule_id=str(schedule_id), occurrence=occurrence
        )
    except AlreadyEnqueued:
        return False
    return True


async def scan(context: JobContext, timestamp: int) -> int:
    deps = _deps(context)
    due = await schedule_runs.due_occurrences(deps.db, limit=deps.settings.schedule_scan_batch)
    queued = 0
    for item in due:
        queued += await defer_run(context.app, item.id, item.occurrence)
    return queued


async def retry_stalled(context: JobContext, timestamp: int) -> int:
    manager = context.app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS))
    for job in stalled:
        await manager.retry_job(job)
    if stalled:
        log.warning("stalled_jobs_retried", count=len(stalled))
    return len(stalled)


def conninfo(database_url: str) -> str:
    """The libpq form of the service's (SQLAlchemy-style) database URL."""
    scheme, sep, rest = database_url.partition("://")
    return f"postgresql://{rest}" if sep and scheme.startswith("postgres") else database_url


def build_queue(settings: TransactionSettings) -> App:
    connector = PsycopgConnector(
        conninfo=conninfo(settings.database_url),
        kwargs={"options": "-c search_path=ledger"},
        min_size=1,
        max_size=settings.schedule_worker_concurrency + 2,
    )
    app = App(connector=connector)
    app.task(name=RUN_TASK, pass_context=True)(run)
    scan_task = app.task(name=SCAN_TASK, pass_context=True, queueing_lock=SCAN_TASK)(scan)
    app.periodic(cron=f"* * * * * */{settings.schedule_scan_seconds}")(scan_task)
    retry_task = app.task(name=RETRY_TASK, pass_context=True, queueing_lock=RETRY_TASK)(retry_stalled)
    app.periodic(cron="* * * * *")(retry_task)
    return app


async def run_worker_forever(queue: App, *, name: str, concurrency: int, deps: Deps) -> None:
    """The queue's worker until cancelled: started again whenever it stops or fails (a worker
    killed with its process is the scan's and `retry_stalled`'s business, see the module doc)."""
    while True:
        try:
            await queue.run_worker_async(
                name=name,
                concurrency=concurrency,
                install_signal_handlers=False,
                delete_jobs="successful",
                shutdown_graceful_timeout=5.0,
                additional_context={"deps": deps},
            )
            log.warning("schedule_worker_stopped")
        except Exception as exc:  # any failure: log it, start again
            log.warning("schedule_worker_failed", error=repr(exc))
        await asyncio.sleep(RESTART_AFTER_SECONDS)


@asynccontextmanager
async def schedule_worker(app: FastAPI) -> AsyncIterator[None]:
    """Lifespan hook: the queue's worker as a background task of this process."""
    settings: TransactionSettings = app.state.settings
    if not settings.schedule_worker_enabled:
        yield
        return
    queue = build_queue(settings)
    async with queue.open_async():
        worker = asyncio.create_task(
            run_worker_forever(
                queue,
                name=f"{socket.gethostname()}-{os.getpid()}",
                concurrency=settings.schedule_worker_concurrency,
                deps=Deps(db=app.state.db, settings=settings),
            ),
            name="schedule_worker",
        )
        app.state.schedule_queue = queue
        try:
            yield
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await worker
