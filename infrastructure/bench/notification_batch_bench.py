"""`make bench-notification-batch`: the notification writer's rate on batches of events, the way
`POST /internal/events/batch` applies them (instapay_common.events.batch.apply_batch with the
route's own one/many callbacks), in process, on a real PostgreSQL.

Three workloads of the same transfer events among 50 users (each event: two notifications, an
e-mail and an SMS delivery each), `--events` apiece:
- `one_by_one`: batches of one (what `POST /internal/events` does per event);
- `batched`: batches of `--batch`;
- `poison`: batches of `--batch` with one invalid event in the middle of each (a
  `transfer.completed` without a recipient), which is rejected while the others land.

Profiles are served from the directory's cache (filled before the clock starts): this measures the
writer, not user-service. CPU is this process's (`time.process_time`): the service's Python side;
PostgreSQL's own CPU is not in it. The code measured is whatever `notification_service` and
`instapay_common` import from, so the same script compares two checkouts
(`PYTHONPATH=<other>/services/common:<other>/services/notification-service`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from instapay_common.db.database import Database
from instapay_common.events.batch import EventBatchIn, apply_batch
from instapay_common.events.envelope import EventEnvelope
from instapay_common.web.http_client import ServiceClient
from instapay_stack.migrate import migrate_all
from instapay_stack.paths import DATA_DIR
from instapay_stack.postgres import drop_database, ensure_database, open_postgres
from instapay_stack.services import SERVICES


def _stream(n: int, users: list[uuid.UUID], start: datetime, seed: int) -> list[dict[str, Any]]:
    import random

    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, nothing secret
    out = []
    for i in range(n):
        sender, recipient = rng.sample(users, 2)
        at = start + timedelta(seconds=i)

        def party(u: uuid.UUID) -> dict[str, str]:
            return {"user_id": str(u), "handle": f"u{u.hex[:6]}", "display_name": "User", "balance_after": "10.00"}

        out.append(
            {
                "id": str(uuid.uuid4()),
                "type": "transfer.completed",
                "occurred_at": at.isoformat(),
                "source": "bench",
                "data": {
                    "transfer_id": str(uuid.uuid4()),
                    "amount": f"{rng.randrange(1, 100_000) / 100:.2f}",
                    "currency": "EGP",
                    "note": None,
                    "created_at": at.isoformat(),
                    "sender": party(sender),
                    "recipient": party(recipient),
                },
            }
        )
    return out


async def _run(url: str, *, events: int, batch: int, rounds: int) -> dict[str, Any]:
    from notification_service.api.internal import _consume
    from notification_service.live import LiveHub
    from notification_service.profiles import Profile, ProfileDirectory

    users = [uuid.uuid4() for _ in range(50)]
    profiles = ProfileDirectory(cast(ServiceClient, None), ttl_seconds=1e9)
    for u in users:  # the cache only: no user-service call is made
        profiles._cache[u] = (
            time.monotonic() + 1e9,
            Profile(u, f"{u.hex[:8]}@example.com", "+201000000000", "en", True, True, True, True),
        )
    hub = LiveHub()
    db = Database(url, pool_size=2, max_overflow=0)

    async def post(raw: Sequence[dict[str, Any]]) -> list[str]:
        async def one(event: EventEnvelope) -> bool:
            return bool(await _consume([event], db, profiles, hub))

        async def many(evs: Sequence[EventEnvelope]) -> set[uuid.UUID]:
            return await _consume(evs, db, profiles, hub)

        out = await apply_batch(EventBatchIn(events=list(raw)), EventEnvelope, one, many)
        return [r.outcome for r in out.results]

    start = datetime(2026, 1, 1, tzinfo=UTC)
    results: dict[str, Any] = {"events": events, "batch": batch, "rounds": rounds}
    try:
        for r in range(rounds):
            for name in ("one_by_one", "batched", "poison"):
                stream = _stream(events, users, start, seed=hash((r, name)) & 0xFFFF)
                size = 1 if name == "one_by_one" else batch
                chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
                if name == "poison":
                    for chunk in chunks:
                        bad = {**chunk[len(chunk) // 2]}
                        bad["data"] = {k: v for k, v in bad["data"].items() if k != "recipient"}
                        chunk[len(chunk) // 2] = bad
                cpu0, t0 = time.process_time(), time.perf_counter()
                outcomes = [o for chunk in chunks for o in await post(chunk)]
                seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
                want = len(chunks) if name == "poison" else 0
                assert outcomes.count("rejected") == want, (name, outcomes.count("rejected"))
                assert outcomes.count("applied") == events - want, name
                row = results.setdefault(name, {"events_per_second": [], "python_cpu_ms_per_event": []})
                row["events_per_second"].append(round(events / seconds, 1))
                row["python_cpu_ms_per_event"].append(round(cpu * 1000 / events, 3))
    finally:
        await db.dispose()
    return results


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    handle = await asyncio.to_thread(open_postgres, DATA_DIR / "test-pg")
    name = f"bench_notify_{secrets.token_hex(3)}"
    try:
        url = await asyncio.to_thread(ensure_database, handle, name)
        await asyncio.to_thread(
            migrate_all, url, services=[s for s in SERVICES if s.name == "notification"], progress=lambda _m: None
        )
        return await _run(url, events=args.events, batch=args.batch, rounds=args.rounds)
    finally:
        await asyncio.to_thread(drop_database, handle, name)
        handle.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=1_000, help="events per workload and round")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    result = asyncio.run(main_async(args))
    result["label"] = args.label
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
