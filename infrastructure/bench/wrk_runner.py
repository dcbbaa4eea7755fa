"""Running wrk (Debian package `wrk`) with our Lua scripts and reading the JSON line their done() prints."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    url: str,
    script: str,
    *,
    users_file: Path,
    connections: int,
    seconds: float,
    threads: int = 1,
    cpu: str | None = None,
    timeout_s: int = 10,
) -> dict:
    """One wrk run; `cpu` pins wrk with taskset (e.g. "1") so it does not float over the measured CPUs."""
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(LUA_DIR / script),
        url,
    ]
    if cpu is not None and shutil.which("taskset"):
        argv = ["taskset", "-c", cpu, *argv]
    env = {**os.environ, "WRK_LUA_DIR": str(LUA_DIR), "WRK_USERS": str(users_file), "WRK_THREADS": str(threads)}
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["connections"] = connections
    return result
