"""`make bench`: the platform's performance in one run on one machine, as ratios that travel.

    .venv/bin/python infrastructure/bench/bench_all.py [--seconds 10] [--concurrency 4,8,16,32]

1. transfers/s end to end through the gateway (wrk + Lua, POST /api/v1/transfers with PIN and a
   fresh Idempotency-Key, outbox relays delivering to reporting and notifications) at each
   concurrency; the best one with p50/p95/p99 and the outbox backlog left at the end of the run;
2. pgbench's built-in tpcb-like on the same PostgreSQL server (scale >= clients) and ratio 1/2;
   for context, the issue's calibration point in the same run: one bare FastAPI handler doing a
   transfer on raw asyncpg (calibrate_bare.py), the ceiling of any path through this stack's
   language and libraries; and the synchronous path alone (1 with the outbox relays stopped, run
   last), the ceiling of (1) however cheap events, reports and e-mail become;
3. authenticated GET /api/v1/wallet direct to the transaction service, through nginx as a plain
   reverse proxy, and through our gateway (interleaved rounds, median), with the ratios;
4-6. the money engineer's history benchmark and the events engineer's summary/relay benchmark,
   run as they are and their JSON merged in.
Prints a table and writes test-artifacts/bench.json. wrk is pinned to one CPU with taskset.
Each transfer run also records ms of CPU per transfer by process (gateway, each service, each
relay, PostgreSQL) from /proc over the run and the outbox drain (`proc_cpu.py`), printed as tables.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from calibrate_bare import run_bare  # noqa: E402
from nginx_proxy import NginxProxy  # noqa: E402
from pgbench_runner import run_pgbench  # noqa: E402
from proc_cpu import CpuMeter, cpu_table, parent_pid  # noqa: E402
from wrk_runner import run_wrk, wrk_available  # noqa: E402

from instapay_stack.e2e import register_user  # noqa: E402
from instapay_stack.paths import DATA_DIR, REPO_ROOT  # noqa: E402
from instapay_stack.postgres import PostgresHandle, open_postgres  # noqa: E402
from instapay_stack.processes import free_port_base  # noqa: E402
from instapay_stack.stack import Stack, private_stack  # noqa: E402

ARTIFACTS = REPO_ROOT / "test-artifacts"
LIMITS = json.dumps(
    [
        {"name": "ip", "limit": 100_000_000, "window_seconds": 60, "key": "ip"},
        {"name": "principal", "limit": 100_000_000, "window_seconds": 60, "key": "principal"},
    ]
)
# Other engineers' benchmarks: (label, script, JSON they write under test-artifacts/, extra args).
OTHERS = [
    ("history", "history_bench.py", "bench-history.json", []),
    ("events", "events_bench.py", "bench-events.json", []),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def setup_users(stack: Stack, count: int, users_file: Path) -> list:
    """Users with a PIN and 45,000.00 EGP each: one card top-up (a bank one completes later, by
    callback), under the daily top-up limit of 50,000.00."""
    users = []
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        for _ in range(count):
            user = register_user(stack.gateway_url, client=client)
            headers = user.auth_headers(**{"Idempotency-Key": secrets.token_hex(8)})
            resp = client.post(
                "/api/v1/wallet/topups",
                headers=headers,
                json={"amount": "45000.00", "source": {"type": "card", "reference": "card-bench"}},
            )
            if resp.status_code != 201:
                raise RuntimeError(f"top-up for the benchmark failed: {resp.status_code} {resp.text}")
            users.append(user)
    users_file.write_text("".join(f"{u.access_token} {u.handle} {u.pin}\n" for u in users))
    return users


async def outbox_backlog(db_url: str) -> int:
    conn = await asyncpg.connect(db_url)
    try:
        return int(
            await conn.fetchval(
                "SELECT (SELECT count(*) FROM ledger.outbox_events WHERE dispatched_at IS NULL) + "
                "(SELECT count(*) FROM ledger.outbox_deliveries WHERE delivered_at IS NULL)"
            )
        )
    finally:
        await conn.close()


async def _postmaster_pid(db_url: str) -> int:
    """The server's postmaster: the parent of this connection's backend, read while the backend
    still runs (once the connection closes, its process and /proc entry are gone)."""
    conn = await asyncpg.connect(db_url)
    try:
        return parent_pid(int(await conn.fetchval("SELECT pg_backend_pid()")))
    finally:
        await conn.close()


def stack_meter(stack: Stack) -> CpuMeter:
    """Every live process of the stack and its PostgreSQL server (found from one of its backends,
    so the machine's own server and an embedded one are measured alike)."""
    pids = {name: child.proc.pid for name, child in stack.supervisor.children.items() if child.proc.poll() is None}
    return CpuMeter(pids, postmaster=asyncio.run(_postmaster_pid(stack.config.database_url)))


def drain_seconds(db_url: str, limit: float = 120) -> tuple[int, float]:
    backlog = asyncio.run(outbox_backlog(db_url))
    started = time.monotonic()
    while asyncio.run(outbox_backlog(db_url)) > 0 and time.monotonic() - started < limit:
        time.sleep(0.2)
    return backlog, round(time.monotonic() - started, 2)


def bench_transfers(stack: Stack, users_file: Path, concurrencies: list[int], seconds: float) -> dict:
    runs = []
    meter = stack_meter(stack)
    for c in concurrencies:
        before = meter.snapshot()
        result = run_wrk(
            stack.gateway_url, "transfer.lua", users_file=users_file, connections=c, seconds=seconds, cpu="1"
        )
        backlog, drain = drain_seconds(stack.config.database_url)
        # After the drain: the relays' and consumers' work for these transfers is in the figures.
        result["cpu_ms_per_transfer"] = CpuMeter.per_unit(before, meter.snapshot(), result["ok"])
        result.update(outbox_backlog_at_end=backlog, outbox_drain_seconds=drain)
        log(
            f"  transfers c={c:<3} {result['ok_per_s']:8.1f}/s  p50 {result['p50_ms']:.1f} ms  "
            f"p99 {result['p99_ms']:.1f} ms  errors {result['not_ok']}  backlog {backlog} (drained in {drain}s)"
        )
        runs.append(result)
    best = max(runs, key=lambda r: r["ok_per_s"])
    return {"runs": runs, "best": best}


def bench_sync_path(stack: Stack, users_file: Path, connections: int, seconds: float) -> dict:
    """Transfers with the outbox relays stopped: the gateway, the transaction service, the PIN and
    parties hops and PostgreSQL alone, events left in the outboxes. No saving on the event side
    (relays, reporting, notifications, e-mail) can lift the end-to-end rate above this one. Run
    last: the relays stay down and the stack is thrown away afterwards."""
    for name in [n for n in stack.supervisor.children if n.endswith("-relay")]:
        stack.supervisor.kill(name)
    meter = stack_meter(stack)
    before = meter.snapshot()
    result = run_wrk(
        stack.gateway_url, "transfer.lua", users_file=users_file, connections=connections, seconds=seconds, cpu="1"
    )
    result["cpu_ms_per_transfer"] = CpuMeter.per_unit(before, meter.snapshot(), result["ok"])
    log(
        f"  transfers c={connections:<3} {result['ok_per_s']:8.1f}/s  p99 {result['p99_ms']:.1f} ms  "
        f"errors {result['not_ok']}  (outbox relays stopped)"
    )
    return result


def bench_wallet(stack: Stack, users_file: Path, seconds: float, rounds: int, connections: int) -> dict:
    direct = stack.url_of("transaction")
    parts = urlsplit(direct)
    targets: dict[str, str] = {"direct": direct, "gateway": stack.gateway_url}
    results: dict[str, list[float]] = {k: [] for k in ("direct", "nginx", "gateway")}
    details: dict[str, dict] = {}
    nginx_port = free_port_base(1)
    have_nginx = NginxProxy.binary() is not None
    with NginxProxy(f"{parts.hostname}:{parts.port}", nginx_port) if have_nginx else _Null() as _:
        if have_nginx:
            targets["nginx"] = f"http://127.0.0.1:{nginx_port}"
        for _round in range(rounds):
            for name, url in targets.items():
                r = run_wrk(url, "wallet.lua", users_file=users_file, connections=connections, seconds=seconds, cpu="1")
                if r["not_ok"]:
                    log(f"  wallet via {name}: {r['not_ok']} non-200 answers")
                results[name].append(r["ok_per_s"])
                details[name] = r
    out = {
        name: {"rps_median": statistics.median(v), "rounds": v, "p99_ms_last": details[name]["p99_ms"]}
        for name, v in results.items()
        if v
    }
    if "nginx" in out:
        out["gateway_over_nginx"] = round(out["gateway"]["rps_median"] / out["nginx"]["rps_median"], 3)
    out["gateway_over_direct"] = round(out["gateway"]["rps_median"] / out["direct"]["rps_median"], 3)
    return out


@contextlib.contextmanager
def bench_stack(prefix: str) -> Iterator[tuple[Stack, PostgresHandle, Path]]:
    """The whole stack on its own database of the bench PostgreSQL (.data/bench-pg), started and
    ready, with quotas far above what a load test sends; removed again on exit."""
    pg = open_postgres(DATA_DIR / "bench-pg")
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    try:
        with private_stack(
            pg,
            prefix=prefix,
            data_dir=work,
            environment="development",
            extra_env={"GATEWAY_RATE_LIMITS": LIMITS},
            ports=12,
        ) as stack:
            yield stack, pg, work
    finally:
        pg.stop()


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def run_others(skip: bool) -> dict:
    out: dict[str, object] = {}
    for label, script, artifact, extra in OTHERS:
        path = HERE / script
        if skip or not path.exists():
            out[label] = {"skipped": "not run" if skip else f"{script} not present"}
            continue
        log(f"==> {label}: {script}")
        proc = subprocess.run(
            [sys.executable, str(path), *extra], cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600
        )
        if proc.returncode != 0:
            out[label] = {"error": proc.stderr[-2000:]}
            continue
        try:
            out[label] = json.loads((ARTIFACTS / artifact).read_text())
        except (OSError, ValueError):
            out[label] = {"stdout": proc.stdout[-2000:]}
    return out


def table(result: dict) -> str:
    t = result.get("transfers", {}).get("best", {})
    pg = result.get("pgbench", {})
    w = result.get("wallet", {})
    rows = [
        ("(1) e2e transfers/s (best concurrency)", f"{t.get('ok_per_s', 0):.1f} at c={t.get('connections')}"),
        ("    p50 / p95 / p99 ms", f"{t.get('p50_ms', 0):.1f} / {t.get('p95_ms', 0):.1f} / {t.get('p99_ms', 0):.1f}"),
        ("    outbox backlog at end / drain s", f"{t.get('outbox_backlog_at_end')} / {t.get('outbox_drain_seconds')}"),
        ("(2) pgbench tpcb-like tps", f"{pg.get('tps', 0):.1f} (c={pg.get('clients')}, scale={pg.get('scale')})"),
        ("    ratio (1)/(2)  [target >= 0.10]", f"{result.get('transfers_over_pgbench', 0):.3f}"),
        (
            "    context: synchronous path alone (relays stopped)",
            f"{result.get('sync_path', {}).get('ok_per_s', 0):.1f}/s, "
            f"{result.get('sync_path_over_pgbench', 0):.3f} of pgbench (the ceiling for (1) whatever events cost)",
        ),
        (
            "    context: bare FastAPI transfer handler",
            f"{result.get('bare_handler', {}).get('ok_per_s', 0):.1f}/s, "
            f"{result.get('bare_over_pgbench', 0):.3f} of pgbench (the ceiling of one Python hop)",
        ),
    ]
    for name in ("direct", "nginx", "gateway"):
        if name in w:
            rows.append((f"(3) GET /wallet {name} req/s", f"{w[name]['rps_median']:.1f}"))
    rows.append(("    gateway/nginx  [target >= 0.7]", str(w.get("gateway_over_nginx"))))
    rows.append(("    gateway/direct [target >= 0.5]", str(w.get("gateway_over_direct"))))
    others = result.get("others", {})
    history = others.get("history") if isinstance(others.get("history"), dict) else {}
    rows.append(
        ("(4) history p95 at 1M rows  [target < 20 ms]", f"{history.get('p95_ms_worst', '?')} ms (worst scenario)")
    )
    events = others.get("events") if isinstance(others.get("events"), dict) else {}
    summary = events.get("summary") or {}
    p95s = " / ".join(f"{summary.get(k, {}).get('p95_ms', '?')}" for k in ("day", "week", "month"))
    rows.append(("(5) summary p95 day/week/month [target < 50 ms]", f"{p95s} ms (a year, 100k movements)"))
    projector = summary.get("projector") or {}
    if projector:
        rows.append(
            (
                "    reporting projector",
                f"{projector.get('events_per_second')} transfer events/s one by one, "
                f"{(projector.get('batched') or {}).get('events_per_second')} in batches",
            )
        )
    relay = events.get("relay") or {}
    rows.append(
        (
            "(6) outbox relay (one process, 2 subscribers)",
            f"{relay.get('events_per_second', '?')} events/s, {relay.get('deliveries_per_second', '?')} deliveries/s",
        )
    )
    width = max(len(r[0]) for r in rows)
    lines = [f"{a:<{width}}  {b}" for a, b in rows]
    # Where a transfer's time goes: /proc counters of every process over the run (and the drain).
    for title, run in (
        (f"(1) CPU by process, c={t.get('connections')}", t),
        ("(1b) CPU by process, relays stopped", result.get("sync_path", {})),
    ):
        if run.get("cpu_ms_per_transfer"):
            lines += ["", cpu_table(run["cpu_ms_per_transfer"], title=title)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", default="4,8,16,32")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--wallet-rounds", type=int, default=3)
    parser.add_argument("--skip-others", action="store_true", help="do not run the history/events benchmarks")
    args = parser.parse_args(argv)
    if not wrk_available():
        sys.exit("wrk is needed: apt-get install wrk (Debian package)")
    ARTIFACTS.mkdir(exist_ok=True)
    result: dict = {"machine": {"cpus": os.cpu_count(), "loadavg_at_start": os.getloadavg()}}
    log("==> starting the stack (own database on the bench PostgreSQL)")
    with bench_stack("bench") as (stack, pg, work):
        users_file = work / "users.txt"
        setup_users(stack, args.users, users_file)
        log("==> (1) transfers end to end through the gateway")
        result["transfers"] = bench_transfers(
            stack, users_file, [int(c) for c in args.concurrency.split(",")], args.seconds
        )
        clients = result["transfers"]["best"]["connections"]
        log(f"==> (2) pgbench tpcb-like, {clients} clients")
        result["pgbench"] = run_pgbench(pg, clients=clients, seconds=args.seconds)
        result["transfers_over_pgbench"] = round(result["transfers"]["best"]["ok_per_s"] / result["pgbench"]["tps"], 3)
        log(f"==> (2b) calibration: a bare FastAPI transfer handler, {clients} connections")
        result["bare_handler"] = run_bare(pg, connections=clients, seconds=args.seconds)
        result["bare_over_pgbench"] = round(result["bare_handler"]["ok_per_s"] / result["pgbench"]["tps"], 3)
        log("==> (3) GET /api/v1/wallet: direct, nginx, gateway")
        one = work / "one-user.txt"
        one.write_text(users_file.read_text().splitlines()[0] + "\n")
        result["wallet"] = bench_wallet(stack, one, args.seconds, args.wallet_rounds, connections=32)
        log(f"==> (1b) the synchronous path alone: transfers with the outbox relays stopped, {clients} connections")
        result["sync_path"] = bench_sync_path(stack, users_file, clients, args.seconds)
        result["sync_path_over_pgbench"] = round(result["sync_path"]["ok_per_s"] / result["pgbench"]["tps"], 3)
        log(
            json.dumps(
                {k: result[k] for k in ("transfers_over_pgbench", "sync_path_over_pgbench", "pgbench", "wallet")},
                default=str,
            )
        )
        # Written now as well: the history/events benchmarks below take minutes.
        (ARTIFACTS / "bench.json").write_text(json.dumps(result, indent=2, default=str))
    result["others"] = run_others(args.skip_others)
    (ARTIFACTS / "bench.json").write_text(json.dumps(result, indent=2, default=str))
    print(table(result))
    print(f"\nJSON: {ARTIFACTS / 'bench.json'}")


if __name__ == "__main__":
    main()
