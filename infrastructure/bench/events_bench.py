"""`make bench-events`: the reporting summary's latency over a year of data and the outbox
relay's sustained delivery rate, on the real code and a real PostgreSQL.

1. Summary p95: one user with 100,000 movements over 365 days (and 2,000 other users around
   them). Movements are generated in SQL; the daily aggregates are then derived from them with
   the projector's own arithmetic (sums per user/day and user/day/counterparty), which is what
   100,000 applied events leave behind. The reporting service runs under uvicorn and is asked for
   the full year by day, week and month over HTTP (and for a range starting mid-February).
   Then the projector's own rate: N transfer events applied in time order, in process, to the
   same database (what the read model costs on the write side), one by one and in batches.
2. Relay: N transfer events in a real outbox (transaction service's 0001 migration), one relay
   process (`python -m outbox_relay`) delivering to two HTTP subscribers;
   sustained rate = events fully delivered per second.

Results are printed and written to test-artifacts/bench-events.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import uvicorn
from aiohttp import web

from instapay_common.db.database import Database
from instapay_common.db.urls import asyncpg_dsn
from instapay_stack.migrate import migrate_all
from instapay_stack.paths import DATA_DIR, REPO_ROOT, SERVICES_DIR
from instapay_stack.postgres import drop_database, ensure_database, open_postgres
from instapay_stack.processes import free_port_base
from instapay_stack.services import SERVICES
from instapay_stack.tokens import TestIssuer

USER = "00000000-0000-4000-8000-000000000001"

SEED_SQL = """
INSERT INTO reporting.movements (user_id, event_id, occurred_at, type, direction, amount, currency,
                                 balance_after, counterparty_id, counterparty_handle, counterparty_name, reference)
SELECT $1::uuid, gen_random_uuid(),
       $2::timestamptz + ((i - 1) * (365 * 86400.0 / $3)) * interval '1 second',
       CASE WHEN i % 20 = 0 THEN 'topup' WHEN i % 23 = 0 THEN 'withdrawal' ELSE 'transfer' END,
       CASE WHEN i % 20 = 0 THEN 'in' WHEN i % 23 = 0 THEN 'out' WHEN i % 2 = 1 THEN 'in' ELSE 'out' END,
       ((i * 7919) % 50000 + 1) / 100.0, 'EGP', 1000 + (i % 977),
       CASE WHEN i % 20 = 0 OR i % 23 = 0 THEN NULL
            ELSE ('00000000-0000-4000-9000-' || lpad(((i * 31) % $4)::text, 12, '0'))::uuid END,
       'cp' || ((i * 31) % $4), 'Counterparty ' || ((i * 31) % $4), 'ref' || i
FROM generate_series(1, $3) AS i
"""
NOISE_SQL = """
INSERT INTO reporting.movements (user_id, event_id, occurred_at, type, direction, amount, currency, balance_after,
                                 counterparty_id, reference)
SELECT ('00000000-0000-4000-a000-' || lpad((i % $2)::text, 12, '0'))::uuid, gen_random_uuid(),
       $1::timestamptz + ((i::bigint * 104729) % (365 * 86400)) * interval '1 second', 'transfer',
       CASE WHEN i % 2 = 0 THEN 'in' ELSE 'out' END, ((i * 13) % 90000 + 1) / 100.0, 'EGP', 500,
       $4::uuid, 'n' || i
FROM generate_series(1, $3) AS i
"""
AGGREGATE_SQL = [
    """INSERT INTO reporting.user_daily
       SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date,
              coalesce(sum(amount) FILTER (WHERE type = 'transfer' AND direction = 'out'), 0),
              count(*) FILTER (WHERE type = 'transfer' AND direction = 'out'),
              coalesce(sum(amount) FILTER (WHERE type = 'transfer' AND direction = 'in'), 0),
              count(*) FILTER (WHERE type = 'transfer' AND direction = 'in'),
              coalesce(sum(amount) FILTER (WHERE type = 'topup'), 0), count(*) FILTER (WHERE type = 'topup'),
              coalesce(sum(amount) FILTER (WHERE type = 'withdrawal'), 0), count(*) FILTER (WHERE type = 'withdrawal')
       FROM reporting.movements GROUP BY 1, 2""",
    """INSERT INTO reporting.counterparty_daily
       SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date, counterparty_id,
              coalesce(sum(amount) FILTER (WHERE direction = 'out'), 0),
              coalesce(sum(amount) FILTER (WHERE direction = 'in'), 0), count(*)
       FROM reporting.movements WHERE counterparty_id IS NOT NULL GROUP BY 1, 2, 3""",
    """INSERT INTO reporting.counterparty_totals
       SELECT user_id, counterparty_id, sum(sent), sum(received), sum(count), min(day), max(day)
       FROM reporting.counterparty_daily GROUP BY 1, 2""",
    """INSERT INTO reporting.counterparty_running
       SELECT user_id, counterparty_id, day, sum(sent) OVER w, sum(received) OVER w, sum(count) OVER w
       FROM reporting.counterparty_daily WINDOW w AS (PARTITION BY user_id, counterparty_id ORDER BY day)""",
    """INSERT INTO reporting.parties
       SELECT DISTINCT ON (counterparty_id) counterparty_id, counterparty_handle, counterparty_name
       FROM reporting.movements WHERE counterparty_id IS NOT NULL ORDER BY counterparty_id""",
    "ANALYZE",
]


# The full year by day, week and month (the target), and a range starting mid-February, which cuts
# through every counterparty's activity (top counterparties then read running totals, not all-time).
CASES = {
    "day": ("2025-11-25", "day"),
    "week": ("2025-11-25", "week"),
    "month": ("2025-11-25", "month"),
    "day_from_feb_10": ("2026-02-10", "day"),
}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench_summary(url: str, *, movements: int, counterparties: int, requests: int) -> dict:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    t0 = time.perf_counter()
    try:
        start = datetime(2025, 11, 25, tzinfo=UTC)
        await conn.execute(SEED_SQL, USER, start, movements, counterparties)
        await conn.execute(NOISE_SQL, start, 2000, 200_000, USER)
        for sql in AGGREGATE_SQL:
            await conn.execute(sql)
        days = await conn.fetchval("SELECT count(*) FROM reporting.user_daily WHERE user_id = $1", USER)
        cp_rows = await conn.fetchval("SELECT count(*) FROM reporting.counterparty_daily WHERE user_id = $1", USER)
    finally:
        await conn.close()
    seed_seconds = time.perf_counter() - t0

    from reporting_service.config import ReportingSettings
    from reporting_service.main import build_app

    port = free_port_base(1)
    app = build_app(ReportingSettings(database_url=url, environment="test", port=port, log_level="WARNING"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.05)
    issuer = TestIssuer()
    issuer.install(app)
    headers = {"Authorization": f"Bearer {issuer.token(USER)}"}
    results: dict = {
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "movements": movements,
        "user_daily_rows": days,
        "counterparty_daily_rows": cp_rows,
        "seed_seconds": round(seed_seconds, 1),
    }
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for case, (first_day, granularity) in CASES.items():
                params = {"from": first_day, "to": "2026-11-24", "granularity": granularity}
                first = await client.get("/api/v1/reports/summary", params=params, headers=headers)
                assert first.status_code == 200, first.text
                body = first.json()
                if first_day == "2025-11-25":
                    assert body["count_sent"] + body["count_received"] == movements
                samples = []
                cpu0 = time.process_time()
                for _ in range(requests):
                    t = time.perf_counter()
                    r = await client.get("/api/v1/reports/summary", params=params, headers=headers)
                    samples.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200
                # CPU of this process (server and client share it) per request: unlike wall time,
                # barely moved by other load on the machine.
                cpu_ms = (time.process_time() - cpu0) * 1000 / requests
                results[case] = {
                    "p50_ms": round(statistics.median(samples), 2),
                    "p95_ms": round(percentile(samples, 0.95), 2),
                    "max_ms": round(max(samples), 2),
                    "cpu_ms_per_request": round(cpu_ms, 2),
                    "series": len(body["series"]),
                }
    finally:
        server.should_exit = True
        await task
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


async def bench_projector(url: str, *, events: int, batch: int = 100) -> dict:
    """Transfer events among 50 users, ten minutes apart, applied in time order in process: the
    first `events` one by one as `POST /internal/events` does (the writer with one event: its own
    transaction with the inbox claim), the next `events` in batches of `batch` as
    `POST /internal/events/batch` does (one transaction of set-based statements per batch). CPU is
    this process's: the service's side."""
    from instapay_common.events.envelope import EventEnvelope
    from reporting_service.service import apply_event, apply_events

    rng = random.Random(9)  # noqa: S311 - a reproducible workload, nothing secret
    users = [str(uuid.uuid4()) for _ in range(50)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    stream = []
    for i in range(2 * events):
        sender, recipient = rng.sample(users, 2)
        at = start + timedelta(minutes=10 * i)
        stream.append(
            EventEnvelope(
                id=uuid.uuid4(),
                type="transfer.completed",
                occurred_at=at,
                source="bench",
                data={
                    "transfer_id": str(uuid.uuid4()),
                    "amount": f"{rng.randrange(1, 100_000) / 100:.2f}",
                    "currency": "EGP",
                    "created_at": at.isoformat(),
                    "sender": {"user_id": sender, "handle": "s", "display_name": "S", "balance_after": "1.00"},
                    "recipient": {"user_id": recipient, "handle": "r", "display_name": "R", "balance_after": "1.00"},
                },
            )
        )
    one_by_one, batched = stream[:events], stream[events:]
    db = Database(url, pool_size=1, max_overflow=0)
    try:
        cpu0, t0 = time.process_time(), time.perf_counter()
        for event in one_by_one:
            assert await apply_event(db, event)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        cpu0, t0 = time.process_time(), time.perf_counter()
        for i in range(0, len(batched), batch):
            chunk = batched[i : i + batch]
            assert len(await apply_events(db, chunk)) == len(chunk)
        b_seconds, b_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    finally:
        await db.dispose()
    return {
        "events": events,
        "events_per_second": round(events / seconds, 1),
        "python_cpu_ms_per_event": round(cpu * 1000 / events, 3),
        "batched": {
            "batch": batch,
            "events_per_second": round(events / b_seconds, 1),
            "python_cpu_ms_per_event": round(b_cpu * 1000 / events, 3),
        },
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process so far (Linux /proc; 0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bench_relay(url: str, *, events: int, batch_route: bool = True) -> dict:
    """`batch_route`: the subscribers answer `POST /internal/events/batch` as every service does;
    without it they have only `/internal/events` and the relay posts one event per request."""
    svc = SERVICES_DIR / "transaction-service"
    await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "alembic", "-c", str(svc / "alembic.ini"), "upgrade", "0001"],
        cwd=svc,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    received = {"n": 0, "requests": 0}

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        received["n"] += 1
        received["requests"] += 1
        return web.Response(status=204)

    async def handle_batch(request: web.Request) -> web.Response:
        body = await request.json()
        received["n"] += len(body["events"])
        received["requests"] += 1
        return web.json_response({"results": [{"id": e["id"], "outcome": "applied"} for e in body["events"]]})

    app = web.Application()
    app.router.add_post("/internal/events", handle)
    if batch_route:
        app.router.add_post("/internal/events/batch", handle_batch)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port_base(1)
    await web.TCPSite(runner, "127.0.0.1", port).start()
    conn = await asyncpg.connect(asyncpg_dsn(url))
    relay = None
    try:
        await conn.execute(
            "INSERT INTO ledger.outbox_events (id, event_type, payload) "
            "SELECT gen_random_uuid(), 'transfer.completed', jsonb_build_object('transfer_id', gen_random_uuid(), "
            "'amount', '125.50', 'currency', 'EGP', 'sender', jsonb_build_object('user_id', gen_random_uuid()), "
            "'recipient', jsonb_build_object('user_id', gen_random_uuid())) FROM generate_series(1, $1)",
            events,
        )
        sub = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": url, "REPORTING_URL": sub, "NOTIFICATION_URL": sub, "LOG_LEVEL": "WARNING"}
        t0 = time.perf_counter()
        argv = [sys.executable, "-m", "outbox_relay", "--service", "transaction"]
        # a separate process, as the stack runs it
        relay = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: ASYNC220
        # The relay's CPU is counted from its first delivery on: its start (imports, connecting)
        # is not per-event work. `first`: (CPU seconds, deliveries) at that moment.
        first: tuple[float, int] | None = None
        while await conn.fetchval(
            "SELECT count(*) FROM ledger.outbox_events e WHERE e.dispatched_at IS NULL OR EXISTS "
            "(SELECT 1 FROM ledger.outbox_deliveries d WHERE d.event_seq = e.seq AND d.delivered_at IS NULL)"
        ):
            await asyncio.sleep(0.1)
            if first is None and received["n"]:
                first = (_cpu_seconds(relay.pid), received["n"])
            if time.perf_counter() - t0 > 600:
                raise RuntimeError("relay did not finish within 10 minutes")
        elapsed = time.perf_counter() - t0
        cpu_from, deliveries_from = first or (0.0, 0)
        relay_cpu = _cpu_seconds(relay.pid) - cpu_from
        # two subscribers: an event is two deliveries
        events_timed = max(1, (received["n"] - deliveries_from) // 2)
    finally:
        if relay is not None:
            relay.terminate()
            relay.wait(timeout=10)
        await conn.close()
        await runner.cleanup()
    return {
        "events": events,
        "deliveries": received["n"],
        "seconds": round(elapsed, 2),
        "events_per_second": round(events / elapsed, 1),
        "deliveries_per_second": round(received["n"] / elapsed, 1),
        "batch_route": batch_route,
        "requests": received["requests"],
        "relay_cpu_ms_per_event": round(relay_cpu * 1000 / events_timed, 3),
    }


async def main_async(args: argparse.Namespace) -> dict:
    handle = await asyncio.to_thread(open_postgres, DATA_DIR / "test-pg")
    names = [f"bench_rep_{secrets.token_hex(3)}", f"bench_relay_{secrets.token_hex(3)}"]
    try:
        rep_url = await asyncio.to_thread(ensure_database, handle, names[0])
        await asyncio.to_thread(
            migrate_all, rep_url, services=[s for s in SERVICES if s.name == "reporting"], progress=lambda _m: None
        )
        summary: dict = {}
        if not args.only_relay:
            summary = await bench_summary(
                rep_url, movements=args.movements, counterparties=args.counterparties, requests=args.requests
            )
        if args.projector_events and not args.only_relay:
            summary["projector"] = await bench_projector(rep_url, events=args.projector_events)
        relay = None
        if not args.skip_relay:
            relay_url = await asyncio.to_thread(ensure_database, handle, names[1])
            relay = await bench_relay(relay_url, events=args.events, batch_route=not args.relay_per_event)
    finally:
        for name in names:
            await asyncio.to_thread(drop_database, handle, name)
        handle.stop()
    return {"summary": summary, "relay": relay}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--counterparties", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--projector-events", type=int, default=2_000, help="0 skips the projector rate")
    parser.add_argument("--skip-relay", action="store_true", help="only the summary part (1)")
    parser.add_argument("--only-relay", action="store_true", help="only the relay part (2)")
    parser.add_argument(
        "--relay-per-event", action="store_true", help="subscribers without the batch route (one POST per event)"
    )
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    result = asyncio.run(main_async(args))
    s, r = result["summary"], result["relay"]
    if s:
        _print_summary(s)
    if r is not None:
        print(
            f"outbox relay, one process, {r['events']:,} transfer events to 2 subscribers "
            f"({'batch route' if r['batch_route'] else 'one POST per event'}, {r['requests']:,} requests): "
            f"{r['events_per_second']:,.0f} events/s ({r['deliveries_per_second']:,.0f} deliveries/s, "
            f"{r['seconds']} s, relay CPU {r['relay_cpu_ms_per_event']} ms/event)"
        )
    out = REPO_ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    Path(out / "bench-events.json").write_text(json.dumps(result, indent=2))
    return 0


def _print_summary(s: dict) -> None:
    print(
        f"reporting summary, one user with {s['movements']:,} movements over a year "
        f"({s['user_daily_rows']} daily rows, {s['counterparty_daily_rows']:,} counterparty-day rows), "
        f"load average {s['load_average_at_start'][0]} at start, {s['load_average_at_end'][0]} at end:"
    )
    for g in CASES:
        verdict = "OK" if s[g]["p95_ms"] < 50 else "over the 50 ms target"
        print(
            f"  {g:<15} p50 {s[g]['p50_ms']:6.2f} ms  p95 {s[g]['p95_ms']:6.2f} ms  "
            f"max {s[g]['max_ms']:6.2f} ms  cpu {s[g]['cpu_ms_per_request']:5.2f} ms/req  ({verdict})"
        )
    if "projector" in s:
        p = s["projector"]
        print(
            f"reporting projector, {p['events']:,} transfer events applied one by one: "
            f"{p['events_per_second']:,.0f} events/s ({p['python_cpu_ms_per_event']} ms Python CPU each); "
            f"in batches of {p['batched']['batch']}: {p['batched']['events_per_second']:,.0f} events/s "
            f"({p['batched']['python_cpu_ms_per_event']} ms each)"
        )


if __name__ == "__main__":
    raise SystemExit(main())
