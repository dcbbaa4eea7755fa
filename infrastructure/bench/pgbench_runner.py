"""pgbench's built-in tpcb-like workload on the given PostgreSQL server, in a scratch database."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

from instapay_stack.postgres import PostgresHandle, drop_database, ensure_database


def pgbench_binary() -> tuple[str, dict[str, str]]:
    """The pgserver wheel's own pgbench (same major version as the embedded server), else the system's."""
    import pgserver

    root = Path(pgserver.__file__).parent / "pginstall"
    if (root / "bin" / "pgbench").exists():
        env = {**os.environ, "LD_LIBRARY_PATH": f"{root / 'lib'}:{os.environ.get('LD_LIBRARY_PATH', '')}"}
        return str(root / "bin" / "pgbench"), env
    found = shutil.which("pgbench")
    if not found:
        raise RuntimeError("pgbench not found: apt-get install postgresql-client-15")
    return found, dict(os.environ)


def run_pgbench(pg: PostgresHandle, *, clients: int, seconds: float) -> dict:
    scale = max(clients, 10)  # tpcb-like contends on the branches table: scale >= clients
    name = f"pgbench_{secrets.token_hex(4)}"
    url = ensure_database(pg, name)
    binary, env = pgbench_binary()
    try:
        subprocess.run(
            [binary, "-i", "-q", "-s", str(scale), url], env=env, check=True, capture_output=True, timeout=900
        )
        out = subprocess.run(
            [binary, "-c", str(clients), "-j", "2", "-T", str(int(seconds)), "-M", "prepared", url],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 300,
        ).stdout
    finally:
        drop_database(pg, name)
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
    latency = re.search(r"latency average = ([0-9.]+) ms", out)
    return {
        "tps": tps,
        "clients": clients,
        "scale": scale,
        "seconds": seconds,
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "binary": binary,
    }
