"""Gateway overhead on a trivial authenticated GET: direct to the backend vs through the gateway.

    .venv/bin/python services/api-gateway/bench/bench_gateway.py [--seconds 8] [--connections 32]

Starts the trivial backend and the real gateway (uvicorn, one process each, as in production),
mints a real EdDSA token, and measures with wrk (Debian package `wrk`):
  direct            GET /api/v1/wallet on the backend
  gateway public    a routed path that needs no token (proxy cost only)
  gateway auth      GET /api/v1/wallet with the token (guard: verify + revocation + 2 rate-limit policies)
  gateway no-cache  the same with the verified-token cache off (each request verifies Ed25519)
  gateway redis     the same with rate-limit counters in Redis (if one answers at 127.0.0.1:6379)
Rounds are interleaved and the median is reported, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from instapay_stack.tokens import TestIssuer

HERE = Path(__file__).resolve().parent
GATEWAY_DIR = HERE.parent
PY = sys.executable
# The quotas stay in force (so their cost is measured) but far above what one token does here.
LIMITS = json.dumps(
    [
        {"name": "ip", "limit": 100_000_000, "window_seconds": 60, "key": "ip"},
        {"name": "principal", "limit": 100_000_000, "window_seconds": 60, "key": "principal"},
    ]
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list[str], env: dict[str, str], cwd: Path, url: str) -> subprocess.Popen:
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240  # imports are slow on a busy 2-core box
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=1).status_code < 500:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{argv} did not start")


def uvicorn(module: str, port: int) -> list[str]:
    return [
        PY,
        "-m",
        "uvicorn",
        module,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (from /proc): the load-independent cost measure."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, token: str | None, seconds: int, connections: int) -> tuple[float, int]:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if token:
        argv[1:1] = ["-H", f"Authorization: Bearer {token}"]
    if shutil.which("taskset"):
        argv = ["taskset", "-c", "1", *argv]  # keep the load generator off core 0 where it can
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    issuer = TestIssuer()
    token = issuer.token(ttl=900)  # the contract maximum; a run lasts minutes
    backend_port = free_port()
    backend_url = f"http://127.0.0.1:{backend_port}"
    base_env = {**os.environ, "BENCH_JWKS": json.dumps(issuer.jwks()), "LOG_LEVEL": "WARNING"}
    procs = [start(uvicorn("trivial_backend:app", backend_port), base_env, HERE, backend_url)]
    gw_env = {
        **base_env,
        **{f"{n}_URL": backend_url for n in ("AUTH", "USER", "TRANSACTION", "REPORTING", "NOTIFICATION")},
        "JWKS_URL": backend_url + "/.well-known/jwks.json",
        "GATEWAY_RATE_LIMITS": LIMITS,
        "ENVIRONMENT": "development",
    }
    variants = {"gateway": {}, "no-cache": {"TOKEN_CACHE_SIZE": "0"}}
    if (
        subprocess.run(["redis-cli", "ping"], capture_output=True).returncode == 0
        if shutil.which("redis-cli")
        else False
    ):
        variants["redis"] = {"REDIS_URL": "redis://127.0.0.1:6379/0", "RATE_LIMIT_KEY_PREFIX": f"bench:{os.getpid()}:"}
    urls: dict[str, str] = {}
    pids: dict[str, int] = {}
    try:
        for name, extra in variants.items():
            port = free_port()
            urls[name] = f"http://127.0.0.1:{port}"
            procs.append(start(uvicorn("api_gateway.main:app", port), {**gw_env, **extra}, GATEWAY_DIR, urls[name]))
            pids[name] = procs[-1].pid
        backend_pid = procs[0].pid
        # name -> (url, token, pid of the process whose CPU per request is reported)
        scenarios = {
            "direct": (backend_url + "/api/v1/wallet", token, backend_pid),
            "direct jwks": (backend_url + "/.well-known/jwks.json", None, backend_pid),
            "gateway public (no token)": (urls["gateway"] + "/.well-known/jwks.json", None, pids["gateway"]),
            "gateway auth": (urls["gateway"] + "/api/v1/wallet", token, pids["gateway"]),
            "gateway auth, no token cache": (urls["no-cache"] + "/api/v1/wallet", token, pids["no-cache"]),
        }
        if "redis" in urls:
            scenarios["gateway auth, Redis counters"] = (urls["redis"] + "/api/v1/wallet", token, pids["redis"])
        results: dict[str, list[float]] = {name: [] for name in scenarios}
        cpu_us: dict[str, list[float]] = {name: [] for name in scenarios}
        for _ in range(args.rounds):
            for name, (url, tok, pid) in scenarios.items():
                before = cpu_seconds(pid)
                rate, count = wrk(url, tok, args.seconds, args.connections)
                cpu_us[name].append((cpu_seconds(pid) - before) / count * 1e6)
                results[name].append(rate)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)
    medians = {name: statistics.median(v) for name, v in results.items()}
    cpu = {name: statistics.median(v) for name, v in cpu_us.items()}
    print(f"\n{'scenario':34} {'req/s':>8} {'vs direct':>10} {'CPU us/req':>11}   req/s per round")
    for name, value in medians.items():
        base = medians["direct jwks"] if name.startswith("gateway public") else medians["direct"]
        print(
            f"{name:34} {value:8.0f} {value / base:10.2f} {cpu[name]:11.0f}   "
            f"{', '.join(f'{v:.0f}' for v in results[name])}"
        )
    print("CPU us/req: of the process answering (backend for direct, the gateway otherwise), from /proc.")
    print(
        json.dumps(
            {
                "connections": args.connections,
                "seconds": args.seconds,
                "results": results,
                "medians": medians,
                "cpu_us_per_request": cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
