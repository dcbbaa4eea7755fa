"""Why the gateway and services use aiohttp: client cost per request, httpx vs aiohttp.

Starts a trivial uvicorn backend in a subprocess, then drives it from this process with each
client at the same concurrency, alternating rounds so machine noise hits both alike.

    .venv/bin/python infrastructure/bench/http_client_choice.py [--requests 4000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import aiohttp
import httpx

from instapay_stack.processes import free_port_base

BACKEND = textwrap.dedent("""
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"ok":true}'})
""")


async def run_httpx(url: str, n: int, conc: int) -> float:
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(limits=limits) as client:
        sem = asyncio.Semaphore(conc)

        async def one() -> None:
            async with sem:
                (await client.get(url)).read()

        t = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        return n / (time.perf_counter() - t)


async def run_aiohttp(url: str, n: int, conc: int) -> float:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=conc)) as session:
        sem = asyncio.Semaphore(conc)

        async def one() -> None:
            async with sem, session.get(url) as resp:
                await resp.read()

        t = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        return n / (time.perf_counter() - t)


async def measure(url: str, n: int, conc: int, rounds: int) -> None:
    for _ in range(50):
        try:
            async with aiohttp.ClientSession() as s, s.get(url):
                break
        except aiohttp.ClientError:
            await asyncio.sleep(0.1)
    results: dict[str, list[float]] = {"httpx": [], "aiohttp": []}
    for _ in range(rounds):
        results["httpx"].append(await run_httpx(url, n, conc))
        results["aiohttp"].append(await run_aiohttp(url, n, conc))
    best = {k: max(v) for k, v in results.items()}
    print(f"{'client':10} {'req/s (best of ' + str(rounds) + ')':>22}")
    for name, rps in best.items():
        print(f"{name:10} {rps:22.0f}")
    print(f"httpx/aiohttp ratio: {best['httpx'] / best['aiohttp']:.2f}")


def main(n: int, conc: int, rounds: int) -> None:
    port = free_port_base(1)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "_trivial_backend.py").write_text(BACKEND)
        backend = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "_trivial_backend:app",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=tmp,
        )
        try:
            asyncio.run(measure(f"http://127.0.0.1:{port}/", n, conc, rounds))
        finally:
            backend.terminate()
            backend.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    a = parser.parse_args()
    main(a.requests, a.concurrency, a.rounds)
