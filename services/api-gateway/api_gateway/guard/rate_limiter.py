"""Applies the configured policies to one request and renders the IETF RateLimit headers.

Header syntax (draft-ietf-httpapi-ratelimit-headers, structured fields), one item per policy:
    RateLimit-Policy: "ip";q=1200;w=60, "principal";q=600;w=60
    RateLimit: "ip";r=1187;t=42, "principal";r=590;t=42
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client import Counter

from api_gateway.guard.rate_counters import Check, SlidingWindowLimiter, Window
from api_gateway.guard.rate_policies import RateLimitPolicy

RATE_LIMITED = Counter("gateway_rate_limited_total", "Requests refused with 429, by the policy exceeded.", ["policy"])


@dataclass(frozen=True, slots=True)
class Applied:
    policy: RateLimitPolicy
    check: Check


def effective_policies(policies: Sequence[RateLimitPolicy], multiplier: float) -> tuple[RateLimitPolicy, ...]:
    """Scales the volume quotas (per address, per caller); never the per-account ones, which guard
    credentials and whose numbers are the security property itself."""
    scaled = []
    for p in policies:
        if p.key != "account" and multiplier != 1:
            p = p.model_copy(update={"limit": max(1, round(p.limit * multiplier))})
        scaled.append(p)
    return tuple(scaled)


class RateLimiter:
    def __init__(self, limiter: SlidingWindowLimiter, policies: Sequence[RateLimitPolicy]) -> None:
        self.limiter = limiter
        self.policies = tuple(policies)
        self._policy_header_cache: dict[tuple[str, ...], bytes] = {}
        self._applicable_cache: dict[tuple[str, str], tuple[RateLimitPolicy, ...]] = {}

    def applicable(self, method: str, path: str) -> tuple[RateLimitPolicy, ...]:
        # Memoised per (method, path): the same few paths repeat; bounded because ids make paths unique.
        key = (method, path)
        found = self._applicable_cache.get(key)
        if found is None:
            found = tuple(p for p in self.policies if p.matches(method, path))
            if len(self._applicable_cache) >= 4096:
                self._applicable_cache.clear()
            self._applicable_cache[key] = found
        return found

    @staticmethod
    def bind(policy: RateLimitPolicy, subject: str) -> Applied:
        return Applied(
            policy,
            Check(f"{policy.name}:{subject}", policy.limit, policy.window_seconds, counted=policy.count == "requests"),
        )

    async def evaluate(self, applied: Sequence[Applied]) -> list[Window]:
        if not applied:
            return []
        return await self.limiter.evaluate([a.check for a in applied])

    async def record_failures(self, applied: Sequence[Applied], status: int) -> dict[int, Window]:
        """Counts a failed answer against the failure policies it matches; index -> updated window."""
        hits = [
            (i, a)
            for i, a in enumerate(applied)
            if a.policy.count == "failures" and status in a.policy.failure_statuses
        ]
        if not hits:
            return {}
        windows = await self.limiter.record([a.check for _, a in hits])
        return {i: w for (i, _), w in zip(hits, windows, strict=True)}

    @staticmethod
    def refused(applied: Sequence[Applied], windows: Sequence[Window]) -> list[tuple[Applied, Window]]:
        over = [(a, w) for a, w in zip(applied, windows, strict=True) if w.exceeded]
        for a, _ in over:
            RATE_LIMITED.labels(a.policy.name).inc()
        return over

    def headers(self, applied: Sequence[Applied], windows: Sequence[Window]) -> list[tuple[bytes, bytes]]:
        if not applied:
            return []
        names = tuple(a.policy.name for a in applied)
        policy_header = self._policy_header_cache.get(names)
        if policy_header is None:
            policy_header = ", ".join(
                f'"{a.policy.name}";q={a.policy.limit};w={a.policy.window_seconds}' for a in applied
            ).encode()
            self._policy_header_cache[names] = policy_header
        state = ", ".join(
            f'"{a.policy.name}";r={max(w.remaining, 0)};t={w.reset_seconds}'
            for a, w in zip(applied, windows, strict=True)
        ).encode()
        return [(b"ratelimit-policy", policy_header), (b"ratelimit", state)]
