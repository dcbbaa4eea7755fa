"""`make profile`: where the CPU goes in each service under a wrk load, with py-spy.

    .venv/bin/python infrastructure/bench/profile_stack.py [--scenario transfer|wallet-direct|wallet-gateway]
                                                            [--seconds 15] [--connections 16] [--top 25]
                                                            [--no-spy] [--no-relays] [--pgbench]

Starts a private stack (same setup as `make bench`: own database on the bench PostgreSQL, users
with a PIN and money), runs wrk with the scenario's Lua script, and samples every service process
with `py-spy record --format raw` meanwhile. Prints, per process, its CPU seconds per request and
the functions with the most samples (inclusive, own code and libraries), and keeps the collapsed
stacks under test-artifacts/profile/ (load them in speedscope.app or flamegraph.pl).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_all import bench_stack, setup_users  # noqa: E402
from pgbench_runner import run_pgbench  # noqa: E402
from proc_cpu import cpu_seconds, machine_busy_seconds, postgres_cpu_seconds, postmaster_pid  # noqa: E402
from wrk_runner import run_wrk  # noqa: E402

from instapay_stack.paths import REPO_ROOT  # noqa: E402

OUT = REPO_ROOT / "test-artifacts" / "profile"
SCENARIOS = {  # name -> (Lua script, which URL it targets, one user or all)
    "transfer": ("transfer.lua", "gateway", False),
    "wallet-direct": ("wallet.lua", "transaction", True),
    "wallet-gateway": ("wallet.lua", "gateway", True),
}


def sessions_opened(pg_url: str) -> int:
    """Connections ever opened to the stack's database (PostgreSQL 14+ statistics): pool churn."""
    import asyncio

    import asyncpg

    async def read() -> int:
        conn = await asyncpg.connect(pg_url)
        try:
            await conn.execute("SELECT pg_stat_force_next_flush()")
            return int(await conn.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = current_database()"))
        finally:
            await conn.close()

    return asyncio.run(read())


def top_frames(raw: Path, top: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(own code by inclusive share, any frame by self share) of the samples in a collapsed-stack file.
    Inclusive counts a frame once per stack; "own code" is instapay_common and the services' packages,
    which is what we can change; self time shows the library leaves the time ends up in."""
    inclusive: collections.Counter[str] = collections.Counter()
    leaf: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf[frames[-1]] += n
        for frame in set(frames):
            if "instapay_common/" in frame or "_service/" in frame or "api_gateway/" in frame:
                inclusive[frame] += n
    if not total:
        return [], []
    return ([(f, n / total) for f, n in inclusive.most_common(top)], [(f, n / total) for f, n in leaf.most_common(top)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="transfer")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument(
        "--no-spy",
        action="store_true",
        help="no py-spy: throughput and CPU as the bench sees them (py-spy slows every process)",
    )
    parser.add_argument(
        "--no-relays",
        action="store_true",
        help="stop the outbox relays before the load: the synchronous path alone (events stay "
        "in the outboxes), i.e. the ceiling that no saving on the event side can raise",
    )
    parser.add_argument(
        "--pgbench",
        action="store_true",
        help="then run pgbench tpcb-like on the same PostgreSQL with as many clients, and print "
        "the ratio as `make bench` does",
    )
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    script, target, one_user = SCENARIOS[args.scenario]
    OUT.mkdir(parents=True, exist_ok=True)
    print("==> starting the stack", file=sys.stderr)
    with bench_stack("profile") as (stack, pg, work):
        users_file = work / "users.txt"
        setup_users(stack, 1 if one_user else args.users, users_file)
        if args.no_relays:
            for name in [n for n in stack.supervisor.children if n.endswith("-relay")]:
                stack.supervisor.kill(name)
        pids = {name: child.proc.pid for name, child in stack.supervisor.children.items() if child.proc.poll() is None}
        # Idle baseline: what each process burns with no traffic (polling loops, timers), so the
        # per-request figures below can be read net of it.
        idle_start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        time.sleep(args.idle_seconds)
        print(
            "idle CPU (ms per second) by process: "
            + ", ".join(
                f"{name} {1000 * (cpu_seconds(pid) - idle_start[name]) / args.idle_seconds:.1f}"
                for name, pid in sorted(pids.items())
            )
        )
        url = stack.gateway_url if target == "gateway" else stack.url_of(target)
        spies = (
            {}
            if args.no_spy
            else {
                name: subprocess.Popen(
                    [
                        py_spy,
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(args.seconds),
                        "--rate",
                        "200",
                        "--format",
                        "raw",
                        "--nonblocking",
                        "--output",
                        str(OUT / f"{args.scenario}-{name}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for name, pid in pids.items()
            }
        )
        postmaster = postmaster_pid(Path(pg.server.pgdata)) if pg.server is not None else None
        db_url = stack.config.database_url.replace("postgresql+asyncpg://", "postgresql://")
        sessions_before = sessions_opened(db_url)
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        if postmaster is not None:
            before["postgres"] = postgres_cpu_seconds(postmaster)
        machine_before, wall_before = machine_busy_seconds(), time.monotonic()
        result = run_wrk(
            url, script, users_file=users_file, connections=args.connections, seconds=args.seconds, cpu="1"
        )
        machine_used, wall = machine_busy_seconds() - machine_before, time.monotonic() - wall_before
        used = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        if postmaster is not None:
            used["postgres"] = postgres_cpu_seconds(postmaster) - before["postgres"]
        # Minus the two connections these reads opened themselves.
        churn = sessions_opened(db_url) - sessions_before - 1
        for spy in spies.values():
            spy.wait(timeout=60)
        done = result["ok"]
        print(
            f"\n{args.scenario}: {result['ok_per_s']:.1f} ok/s, p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, {result['not_ok']} not ok"
        )
        print(
            "CPU per request (ms) by process: "
            + ", ".join(
                f"{name} {1000 * used[name] / max(done, 1):.2f}" for name in sorted(used, key=used.get, reverse=True)
            )
        )
        print(
            f"total CPU per request: {1000 * sum(used.values()) / max(done, 1):.2f} ms; database connections "
            f"opened during the load: {churn} (pool churn: each costs a server fork and a handshake)"
        )
        # A Python service is one thread: near 100% of a core it caps the path whatever the machine has left.
        print(
            "CPU use during the load, % of one core: "
            + ", ".join(f"{name} {100 * used[name] / wall:.0f}" for name in sorted(used, key=used.get, reverse=True))
            + f"; whole machine {100 * machine_used / wall:.0f} of {100 * os.cpu_count()}"
            " (wrk and anything else running included)"
        )
        if args.pgbench:
            bench = run_pgbench(pg, clients=args.connections, seconds=args.seconds)
            print(
                f"pgbench tpcb-like, {bench['clients']} clients, scale {bench['scale']}: {bench['tps']:.1f} tps; "
                f"{args.scenario} / pgbench = {result['ok_per_s'] / bench['tps']:.3f}"
            )
        for name in sorted(used, key=used.get, reverse=True):
            raw = OUT / f"{args.scenario}-{name}.txt"
            # An earlier run's samples may still lie there: only this run's are shown.
            if args.no_spy or not raw.exists() or used[name] / max(done, 1) < 0.0005:
                continue
            own, leaves = top_frames(raw, args.top)
            print(f"\n--- {name}: {1000 * used[name] / max(done, 1):.2f} ms CPU/request; own code, inclusive:")
            for frame, share in own:
                print(f"  {share:6.1%}  {frame[:150]}")
            print("  self time (leaf frames):")
            for frame, share in leaves:
                print(f"  {share:6.1%}  {frame[:150]}")


if __name__ == "__main__":
    main()
