"""Builds the guard's runtime parts in the app's lifespan: the caching token verifier, the
rate-limit counters (Redis when REDIS_URL is set, else memory), the revoked-sessions poller, and
the streams' slots and connection pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api_gateway.config import GatewaySettings
from api_gateway.guard.access_control import GuardState
from api_gateway.guard.rate_counters import CounterStore, MemoryCounterStore, RedisCounterStore, SlidingWindowLimiter
from api_gateway.guard.rate_limiter import RateLimiter, effective_policies
from api_gateway.guard.revocation import RevocationList
from api_gateway.guard.streams import StreamSlots
from instapay_common.logging import get_logger
from instapay_common.security.tokens import JwksVerifier, keys_prefetched
from instapay_common.web.app import LifespanHook
from instapay_common.web.http_client import new_session

_log = get_logger("gateway.guard")


def counter_store(settings: GatewaySettings) -> CounterStore:
    if settings.redis_url:
        return RedisCounterStore(settings.redis_url, prefix=settings.rate_limit_key_prefix)
    return MemoryCounterStore()


def guard_lifespan(settings: GatewaySettings) -> LifespanHook:
    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        # Replaces the default verifier with one that caches verified tokens (the gateway's hot path).
        verifier = JwksVerifier(
            settings.jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            session=app.state.http,
            cache_size=settings.token_cache_size,
        )
        app.state.jwt_verifier = verifier
        store = counter_store(settings)
        policies = effective_policies(settings.rate_limits, settings.rate_limit_multiplier or 1.0)
        revocations = RevocationList(
            auth_url=settings.auth_url,
            credentials=settings.internal_credentials(),
            session=lambda: app.state.http,
            poll_seconds=settings.revocation_poll_seconds,
        )
        streams = StreamSlots(
            per_user=settings.stream_max_per_user,
            per_replica=settings.stream_max_per_replica,
            is_revoked=revocations.is_revoked,
            check_seconds=settings.stream_check_seconds,
        )
        # The streams' own pool (guard/streams.py), as large as the number of streams admitted.
        app.state.stream_http = new_session(
            timeout_seconds=settings.http_timeout_seconds, limit=settings.stream_max_per_replica
        )
        app.state.gateway_guard = GuardState(
            verifier=verifier,
            revocations=revocations,
            limiter=RateLimiter(SlidingWindowLimiter(store), policies),
            streams=streams,
        )
        _log.info(
            "gateway_guard_ready",
            counters="redis" if settings.redis_url else "memory",
            policies=[p.name for p in policies],
        )
        try:
            async with revocations.running(), keys_prefetched(verifier):
                yield
        finally:
            await store.close()
            await app.state.stream_http.close()

    return hook
