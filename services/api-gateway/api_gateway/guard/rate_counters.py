"""Sliding-window rate-limit counters, in memory or in Redis (shared by several replicas).

The sliding-window-counter approximation keeps two fixed-window counters per key (this window and
the previous one) and weighs the previous one by how much of it still overlaps the sliding window:
`estimate = previous * (1 - elapsed / window) + current`. It needs one INCR and one GET per key,
has no burst at window edges (unlike plain fixed windows), and is what large CDNs use.

All keys a request needs are read and incremented in ONE store round trip (`CounterStore.apply`),
so the Redis variant costs one network hop (one Lua script call) per request whatever the number
of policies.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from instapay_common.logging import get_logger

_log = get_logger("ratelimit")


class CounterStore(Protocol):
    async def apply(self, increments: Sequence[tuple[str, int]], reads: Sequence[str]) -> tuple[list[int], list[int]]:
        """Increment each `(key, ttl_seconds)` by one and read each key in `reads` (missing = 0).

        Returns (values after increment, values read)."""

    async def close(self) -> None: ...


class MemoryCounterStore:
    """Counters of one process. Expired keys are swept lazily so memory stays bounded by traffic."""

    def __init__(self, *, sweep_every: int = 10_000) -> None:
        self._data: dict[str, tuple[int, float]] = {}
        self._ops = 0
        self._sweep_every = sweep_every

    async def apply(self, increments: Sequence[tuple[str, int]], reads: Sequence[str]) -> tuple[list[int], list[int]]:
        now = time.monotonic()
        data = self._data
        incremented: list[int] = []
        for key, ttl in increments:
            entry = data.get(key)
            value = entry[0] + 1 if entry is not None and entry[1] > now else 1
            expires = entry[1] if entry is not None and entry[1] > now else now + ttl
            data[key] = (value, expires)
            incremented.append(value)
        read: list[int] = []
        for key in reads:
            entry = data.get(key)
            read.append(entry[0] if entry is not None and entry[1] > now else 0)
        self._ops += 1
        if self._ops >= self._sweep_every:
            self._ops = 0
            self._data = {k: v for k, v in data.items() if v[1] > now}
        return incremented, read

    async def close(self) -> None:
        self._data.clear()


# One script call per request: INCR (+ EXPIRE on creation) each counted key, GET each read key.
# A script is one command for redis-py to pack and parse, far cheaper in CPU than a pipeline.
# KEYS = increments then reads; ARGV[1] = number of increments, ARGV[1 + i] = TTL of increment i.
_APPLY_LUA = """
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  local v = redis.call('INCR', KEYS[i])
  if v == 1 then redis.call('EXPIRE', KEYS[i], ARGV[i + 1]) end
  out[i] = v
end
for i = n + 1, #KEYS do
  out[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
end
return out
"""


class RedisCounterStore:
    """Counters in Redis, one script call (one round trip) per request.

    If Redis cannot be reached the store falls back to process-local counters rather than failing
    every request: limits then hold per replica until Redis is back (logged once per outage).
    Not for Redis Cluster as is (the keys of one call may sit in different slots).
    """

    def __init__(self, url: str, *, prefix: str = "rl:", timeout_seconds: float = 0.25) -> None:
        import redis.asyncio as redis  # imported here: only deployments with REDIS_URL need it

        self._redis = redis.from_url(
            url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds, health_check_interval=30
        )
        self._script = self._redis.register_script(_APPLY_LUA)
        self._errors = (redis.RedisError, OSError, TimeoutError)
        self._prefix = prefix
        self._fallback = MemoryCounterStore()
        self._degraded = False

    async def apply(self, increments: Sequence[tuple[str, int]], reads: Sequence[str]) -> tuple[list[int], list[int]]:
        prefix = self._prefix
        keys = [prefix + k for k, _ in increments] + [prefix + k for k in reads]
        args = [len(increments), *(ttl for _, ttl in increments)]
        try:
            results = await self._script(keys=keys, args=args)
        except self._errors as exc:
            if not self._degraded:
                self._degraded = True
                _log.warning("ratelimit_redis_unavailable", error=type(exc).__name__)
            return await self._fallback.apply(increments, reads)
        if self._degraded:
            self._degraded = False
            _log.info("ratelimit_redis_recovered")
        values = [int(v) for v in results]
        return values[: len(increments)], values[len(increments) :]

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except self._errors:
            return False

    async def close(self) -> None:
        await self._redis.aclose()


@dataclass(frozen=True, slots=True)
class Window:
    """What a client sees for one policy: the IETF `RateLimit` `r` and `t` parameters."""

    limit: int
    window_seconds: int
    remaining: int
    reset_seconds: int

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0


@dataclass(frozen=True, slots=True)
class Check:
    """One counter to consult: `counted` = this request adds one; otherwise it is only read
    (failure-counting policies add one later, when the answer turns out to be a failure)."""

    key: str
    limit: int
    window_seconds: int
    counted: bool = True


class SlidingWindowLimiter:
    def __init__(self, store: CounterStore, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._clock = clock

    def _slots(self, check: Check, now: float) -> tuple[str, str, float, int]:
        index = int(now // check.window_seconds)
        elapsed = now - index * check.window_seconds
        return f"{check.key}:{index}", f"{check.key}:{index - 1}", elapsed, index

    async def evaluate(self, checks: Sequence[Check]) -> list[Window]:
        """Counts the request against every counted check and returns each check's window."""
        now = self._clock()
        increments: list[tuple[str, int]] = []
        reads: list[str] = []
        slots = [self._slots(c, now) for c in checks]
        for check, (current, previous, _elapsed, _i) in zip(checks, slots, strict=True):
            ttl = 2 * check.window_seconds + 1
            if check.counted:
                increments.append((current, ttl))
            else:
                reads.append(current)
            reads.append(previous)
        incremented, read = await self.store.apply(increments, reads)
        inc_iter, read_iter = iter(incremented), iter(read)
        windows = []
        for check, (_c, _p, elapsed, _i) in zip(checks, slots, strict=True):
            in_window = next(inc_iter) if check.counted else next(read_iter)
            windows.append(self._window(check, in_window, next(read_iter), elapsed))
        return windows

    async def record(self, checks: Sequence[Check]) -> list[Window]:
        """Adds one to each check (a failure just happened) and returns the updated windows."""
        counted = [Check(c.key, c.limit, c.window_seconds, counted=True) for c in checks]
        return await self.evaluate(counted)

    @staticmethod
    def _window(check: Check, current: int, previous: int, elapsed: float) -> Window:
        weight = 1.0 - elapsed / check.window_seconds
        used = previous * weight + current
        # `remaining` < 0 means refuse. A refused request still counts, so hammering keeps a client
        # out rather than letting it in at the next boundary. A read-only (failure) check refuses once
        # the failures already recorded reach the limit: the next failure would exceed it.
        remaining = check.limit - math.ceil(used) if check.counted else check.limit - math.ceil(used) - 1
        if remaining >= 0:
            reset = math.ceil(check.window_seconds - elapsed)
        else:
            reset = _seconds_until_under(check, current, previous, elapsed)
        return Window(check.limit, check.window_seconds, remaining, max(reset, 1))


def _seconds_until_under(check: Check, current: int, previous: int, elapsed: float) -> int:
    """When the next request will be let through again (the `Retry-After` value): once the estimate
    has decayed to `limit - 1` or less, assuming no further requests meanwhile."""
    window = check.window_seconds
    target = check.limit - 1
    # Within this window the previous window's weight decays linearly:
    # previous * (1 - (elapsed + s) / window) + current <= target
    if previous > 0 and current <= target:
        needed = window * (1 - (target - current) / previous) - elapsed
        if needed < window - elapsed:
            return math.ceil(max(needed, 0.0)) + 1
    # Otherwise in the next window, where `current` becomes the decaying previous count:
    # current * (1 - s / window) <= target
    more = window * (1 - target / current) if current > target else 0.0
    return math.ceil(window - elapsed + more) + 1
