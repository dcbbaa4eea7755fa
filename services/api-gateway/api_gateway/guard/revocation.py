"""Sessions revoked at the auth service (logout, session delete, password change, refresh reuse).

Access tokens are self-contained, so the gateway learns revocations by polling the auth service's
`GET /internal/sessions/revoked?since=` (docs/INTERNAL_API.md) every `poll_seconds` (1 s: the
contract allows 5 s). Every replica polls for itself: one small request per second per replica,
and no shared state to keep consistent. An entry is kept as long as a token of that session can
still be valid (15 min lifetime + leeway), then dropped.

If the auth service cannot be reached the gateway keeps the list it has (fail-open): revocations
are made by the auth service only, so while it is unreachable no new ones can happen through it;
every failed poll is counted (`gateway_revocation_polls_total{outcome}`) and logged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

import aiohttp
from prometheus_client import Counter, Gauge

from instapay_common.logging import get_logger
from instapay_common.security.internal import InternalCredentials

POLLS = Counter(
    "gateway_revocation_polls_total", "Polls of the auth service's revoked-sessions list, by outcome.", ["outcome"]
)
REVOKED_SESSIONS = Gauge("gateway_revoked_sessions", "Revoked sessions the gateway currently refuses.")
_log = get_logger("revocation")

# Longest an access token lives (15 min) plus verifier leeway and clock skew.
RETENTION_SECONDS = 15 * 60 + 60


class RevocationList:
    def __init__(
        self,
        *,
        auth_url: str,
        credentials: InternalCredentials,
        session: Callable[[], aiohttp.ClientSession],
        poll_seconds: float = 1.0,
        retention_seconds: float = RETENTION_SECONDS,
    ) -> None:
        self._url = auth_url.rstrip("/") + "/internal/sessions/revoked"
        self._headers = credentials.headers()
        self._session = session
        self.poll_seconds = poll_seconds
        self._retention = retention_seconds
        self._revoked: dict[str, float] = {}  # session id -> when we learned it (monotonic)
        self._since: float = time.time() - retention_seconds
        self._failing = False
        self.last_success: float | None = None

    def is_revoked(self, session_id: str) -> bool:
        return session_id in self._revoked

    def add(self, session_ids: list[str]) -> None:
        now = time.monotonic()
        for sid in session_ids:
            self._revoked.setdefault(sid, now)

    def _prune(self) -> None:
        horizon = time.monotonic() - self._retention
        if any(t < horizon for t in self._revoked.values()):
            self._revoked = {sid: t for sid, t in self._revoked.items() if t >= horizon}

    async def poll_once(self) -> bool:
        params = {"since": str(int(self._since))}
        try:
            async with self._session().get(
                self._url, params=params, headers=self._headers, timeout=aiohttp.ClientTimeout(total=2)
            ) as resp:
                if resp.status != 200:
                    return self._failed(f"status {resp.status}")
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return self._failed(type(exc).__name__)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return self._failed("malformed answer")
        self.add([str(i["session_id"]) for i in items if isinstance(i, dict) and i.get("session_id")])
        now = data.get("now")
        # Ask again from a little before the server's "now", so a revocation committed in the same
        # second as the answer is not missed (re-adding a known id is harmless).
        self._since = (float(now) if isinstance(now, int | float) else time.time()) - 2
        self._prune()
        REVOKED_SESSIONS.set(len(self._revoked))
        POLLS.labels("ok").inc()
        self.last_success = time.monotonic()
        if self._failing:
            self._failing = False
            _log.info("revocation_poll_recovered")
        return True

    def _failed(self, why: str) -> bool:
        POLLS.labels("error").inc()
        if not self._failing:
            self._failing = True
            _log.warning("revocation_poll_failed", error=why, url=self._url)
        return False

    async def run(self) -> None:
        while True:
            await self.poll_once()
            await asyncio.sleep(self.poll_seconds)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[RevocationList]:
        task = asyncio.create_task(self.run(), name="revocation-poller")
        try:
            yield self
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
