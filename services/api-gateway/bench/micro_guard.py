"""CPU cost of the guard layers per request, in-process (independent of machine load, unlike wrk).

    .venv/bin/python services/api-gateway/bench/micro_guard.py

Calls SecurityHeaders -> AccessControl -> a no-op app directly with an authenticated GET scope,
N times, and reports microseconds of CPU per request for: token cache on, cache off, and (if
Redis answers at 127.0.0.1:6379) counters in Redis (there the round trip dominates, so wall time).
"""

from __future__ import annotations

import asyncio
import os
import time

from api_gateway.config import GatewaySettings
from api_gateway.guard.access_control import AccessControl, GuardState
from api_gateway.guard.client_address import ClientAddress
from api_gateway.guard.rate_counters import MemoryCounterStore, RedisCounterStore, SlidingWindowLimiter
from api_gateway.guard.rate_limiter import RateLimiter
from api_gateway.guard.revocation import RevocationList
from api_gateway.guard.security_headers import SecurityHeaders
from api_gateway.routing import RouteTable
from instapay_common.security.internal import InternalCredentials
from instapay_common.security.tokens import JwksVerifier
from instapay_stack.tokens import TestIssuer

N = 20_000


async def noop(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"{}"})


async def measure(cache_size: int, store) -> tuple[float, float]:
    settings = GatewaySettings()
    issuer = TestIssuer(settings)
    verifier = JwksVerifier(
        "http://127.0.0.1:1/jwks", issuer=settings.jwt_issuer, audience=settings.jwt_audience, cache_size=cache_size
    )
    verifier.install_keys(issuer.jwks())
    # The default policies, with quotas this loop cannot reach (their cost is what is measured).
    unlimited = [p.model_copy(update={"limit": 10**9}) for p in settings.rate_limits]
    state = GuardState(
        verifier=verifier,
        revocations=RevocationList(
            auth_url="http://x", credentials=InternalCredentials("gateway", {"gateway": "t"}), session=lambda: None
        ),
        limiter=RateLimiter(SlidingWindowLimiter(store), unlimited),
    )
    table = RouteTable(settings.routes, settings.upstream_urls())
    guard = AccessControl(
        noop,
        table=table,
        public_paths=settings.public_paths,
        addresses=ClientAddress([]),
        max_body_bytes=1 << 20,
        state=lambda: state,
    )
    app = SecurityHeaders(guard, hsts=False)
    token = issuer.token(ttl=900).encode()
    statuses = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    def scope():
        return {
            "type": "http",
            "method": "GET",
            "path": "/api/v1/wallet",
            "raw_path": b"/api/v1/wallet",
            "query_string": b"",
            "client": ("127.0.0.1", 5000),
            "headers": [(b"host", b"gw"), (b"authorization", b"Bearer " + token), (b"accept", b"*/*")],
        }

    for _ in range(200):
        await app(scope(), receive, send)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(N):
        await app(scope(), receive, send)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert set(statuses) == {200}, set(statuses)
    await store.close()
    return cpu / N * 1e6, wall / N * 1e6


async def main() -> None:
    rows = [
        ("token cache on, memory counters", await measure(10_000, MemoryCounterStore())),
        ("token cache off, memory counters", await measure(0, MemoryCounterStore())),
    ]
    redis_store = RedisCounterStore("redis://127.0.0.1:6379/0", prefix=f"bench:{os.getpid()}:")
    if await redis_store.ping():
        rows.append(("token cache on, Redis counters", await measure(10_000, redis_store)))
    print(f"{'guard variant':36} {'CPU us/req':>10} {'wall us/req':>11}")
    for name, (cpu, wall) in rows:
        print(f"{name:36} {cpu:10.1f} {wall:11.1f}")


if __name__ == "__main__":
    asyncio.run(main())
