"""Live streams (SSE): their own connection pool, a cap per user and per replica, and an end.

A stream holds an upstream connection for as long as it is open, so streams never share the pool
of ordinary proxied calls (a user opening hundreds would otherwise block every call and the
revocation poller). Each replica admits at most `per_replica` streams (the size of the streams'
own pool) and at most `per_user` for one user (429 `rate_limited` with `Retry-After` beyond).
A stream is ended when its access token expires or its session is revoked (the revocation list
the guard polls), checked every `check_seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import Gauge

from instapay_common.errors import RateLimited
from instapay_common.security.tokens import Principal

OPEN_STREAMS = Gauge("gateway_open_streams", "Streams (SSE) this replica is relaying now.")


@dataclass
class StreamLease:
    """One admitted stream; `ended()` says when the gateway must close it."""

    principal: Principal
    _is_revoked: Callable[[str], bool]
    _release: Callable[[StreamLease], None]
    released: bool = False

    def ended(self) -> bool:
        expired = bool(self.principal.expires_at) and time.time() >= self.principal.expires_at
        return expired or self._is_revoked(self.principal.session_id)

    def release(self) -> None:
        if not self.released:
            self.released = True
            self._release(self)


class StreamSlots:
    """Open streams of this replica, counted per user."""

    def __init__(
        self,
        *,
        per_user: int,
        per_replica: int,
        is_revoked: Callable[[str], bool],
        retry_after_seconds: int = 10,
        check_seconds: float = 1.0,
    ) -> None:
        self.per_user = per_user
        self.per_replica = per_replica
        self.check_seconds = check_seconds
        self._is_revoked = is_revoked
        self._retry_after = str(retry_after_seconds)
        self._by_user: dict[str, int] = {}
        self._total = 0

    def open(self, principal: Principal) -> StreamLease:
        user = principal.user_id
        if self._by_user.get(user, 0) >= self.per_user:
            raise RateLimited(
                f"at most {self.per_user} open streams per user; close one first",
                headers={"Retry-After": self._retry_after},
            )
        if self._total >= self.per_replica:
            raise RateLimited("too many open streams; retry shortly", headers={"Retry-After": self._retry_after})
        self._by_user[user] = self._by_user.get(user, 0) + 1
        self._total += 1
        OPEN_STREAMS.set(self._total)
        return StreamLease(principal, self._is_revoked, self._release)

    def _release(self, lease: StreamLease) -> None:
        user = lease.principal.user_id
        left = self._by_user.get(user, 0) - 1
        if left > 0:
            self._by_user[user] = left
        else:
            self._by_user.pop(user, None)
        self._total = max(self._total - 1, 0)
        OPEN_STREAMS.set(self._total)

    def open_for(self, user_id: str) -> int:
        return self._by_user.get(user_id, 0)
