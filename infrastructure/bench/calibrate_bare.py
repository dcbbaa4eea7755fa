"""Issue 9's calibration on this machine: a bare FastAPI handler doing one transfer with raw asyncpg
(`bare_transfer_app.py`) under the same wrk script as `make bench`, and pgbench tpcb-like on the
same PostgreSQL in the same run. Prints both and their ratio: the ceiling for the real path, which
adds a gateway, two service calls, idempotency, the outbox and two consumers to this one handler.

    .venv/bin/python infrastructure/bench/calibrate_bare.py [--seconds 8] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pgbench_runner import run_pgbench  # noqa: E402
from wrk_runner import run_wrk  # noqa: E402

from instapay_stack.paths import DATA_DIR  # noqa: E402
from instapay_stack.postgres import PostgresHandle, drop_database, ensure_database, open_postgres  # noqa: E402
from instapay_stack.processes import free_port_base  # noqa: E402

USERS = 32


async def _prepare(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "CREATE SCHEMA bare; "
            "CREATE TABLE bare.accounts (id int PRIMARY KEY, balance numeric(18,2) NOT NULL); "
            "CREATE TABLE bare.journal (id bigserial PRIMARY KEY, src int, dst int, "
            "amount numeric(18,2), at timestamptz NOT NULL DEFAULT now())"
        )
        await conn.executemany("INSERT INTO bare.accounts VALUES ($1, 1000000)", [(i,) for i in range(USERS)])
    finally:
        await conn.close()


def run_bare(pg: PostgresHandle, *, connections: int, seconds: float) -> dict:
    """wrk against the bare handler on its own database of `pg`'s server (same Lua script)."""
    name = f"bare_{int(time.time())}"
    dsn = ensure_database(pg, name).replace("postgresql+asyncpg://", "postgresql://")
    port = free_port_base(1)
    server = None
    try:
        asyncio.run(_prepare(dsn))
        users = Path(tempfile.mkdtemp(prefix="bare-")) / "users.txt"
        users.write_text("".join(f"u{i} u{i} 000000\n" for i in range(USERS)))
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bare_transfer_app:app",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=HERE,
            env={"BARE_DSN": dsn, "PATH": "/usr/bin:/bin"},
        )
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}"
        run_wrk(url, "transfer.lua", users_file=users, connections=connections, seconds=2, cpu="1")  # warm-up
        return run_wrk(url, "transfer.lua", users_file=users, connections=connections, seconds=seconds, cpu="1")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        drop_database(pg, name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    pg = open_postgres(DATA_DIR / "bench-pg")
    try:
        bare = run_bare(pg, connections=args.connections, seconds=args.seconds)
        pgbench = run_pgbench(pg, clients=args.connections, seconds=args.seconds)
    finally:
        pg.stop()
    ratio = bare["ok_per_s"] / pgbench["tps"]
    print(
        f"bare FastAPI transfer handler: {bare['ok_per_s']:.1f}/s (p99 {bare['p99_ms']:.1f} ms, "
        f"{bare['not_ok']} not ok) at c={args.connections}"
    )
    print(f"pgbench tpcb-like:             {pgbench['tps']:.1f} tps (c={pgbench['clients']}, scale={pgbench['scale']})")
    print(f"ratio:                         {ratio:.3f}")
    print("CALIBRATION_JSON " + json.dumps({"bare": bare, "pgbench": pgbench, "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
