"""CPU and time per event of the reporting consumer, one by one against batched (figures in
docs/PERFORMANCE.md, "Reporting consumer: one transaction per batch"):

    .venv/bin/python services/reporting-service/tests/measure_batch_projector.py [--events 1000]

The same transfer events (50 users, ten minutes apart, as `make bench-events`' projector rate)
are applied in process to two fresh databases on the local PostgreSQL: one by one with
`projector.apply_event` (what `POST /internal/events` does), and in batches of 100 with
`batch_projector.apply_events` (what `POST /internal/events/batch` does). CPU is this process's
(`time.process_time`: the service's side; PostgreSQL's own work is in its processes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

from instapay_common.db import Database
from instapay_stack.migrate import migrate_all
from instapay_stack.paths import DATA_DIR
from instapay_stack.postgres import drop_database, ensure_database, open_postgres
from instapay_stack.services import SERVICES
from reporting_service.batch_projector import apply_events
from reporting_service.projector import EventEnvelope, apply_event


def transfers(count: int) -> list[EventEnvelope]:
    rng = random.Random(9)  # a reproducible workload
    users = [str(uuid.uuid4()) for _ in range(50)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    events = []
    for i in range(count):
        sender, recipient = rng.sample(users, 2)
        at = start + timedelta(minutes=10 * i)
        events.append(EventEnvelope(id=uuid.uuid4(), type="transfer.completed", occurred_at=at, source="bench", data={
            "transfer_id": str(uuid.uuid4()), "amount": f"{rng.randrange(1, 100_000) / 100:.2f}", "currency": "EGP",
            "created_at": at.isoformat(),
            "sender": {"user_id": sender, "handle": "s", "display_name": "S", "balance_after": "1.00"},
            "recipient": {"user_id": recipient, "handle": "r", "display_name": "R", "balance_after": "1.00"}}))
    return events


async def measure(url: str, events: list[EventEnvelope], batch: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per event; batch 1 = one by one."""
    db = Database(url, pool_size=1, max_overflow=0)
    try:
        async with db.sessionmaker() as session:  # warm the pool and the statement caches
            await apply_event(session, events[0])
        await apply_events(db, events[1:3])
        rest = events[3:]
        cpu0, t0 = time.process_time(), time.perf_counter()
        if batch == 1:
            for event in rest:
                async with db.sessionmaker() as session:
                    assert await apply_event(session, event)
        else:
            for i in range(0, len(rest), batch):
                chunk = rest[i:i + batch]
                assert len(await apply_events(db, chunk)) == len(chunk)
        cpu, seconds = time.process_time() - cpu0, time.perf_counter() - t0
    finally:
        await db.dispose()
    return cpu * 1000 / len(rest), seconds * 1000 / len(rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    events = transfers(args.events + 3)
    pg = open_postgres(DATA_DIR / "test-pg")
    try:
        for label, batch in (("one by one", 1), (f"batches of {args.batch}", args.batch)):
            name = f"reporting_measure_{os.getpid()}_{secrets.token_hex(3)}"
            url = ensure_database(pg, name)
            try:
                migrate_all(url, services=[s for s in SERVICES if s.name == "reporting"], progress=lambda _m: None)
                cpu, wall = asyncio.run(measure(url, events, batch))
            finally:
                drop_database(pg, name)
            print(f"{label:>16}: {args.events} transfer events, {cpu:.3f} ms CPU/event, {wall:.3f} ms wall/event")
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
