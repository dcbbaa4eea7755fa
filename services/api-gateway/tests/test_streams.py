"""Stream slots: at most N open per user and M per replica (429 with Retry-After beyond), freed
when a stream closes, and ended once its token expires or its session is revoked. The whole path
(own pool, relay closed by the gateway) runs against the real stack in
infrastructure/proof/tests/test_identity_signin_sessions.py."""

from __future__ import annotations

import time
import uuid

import pytest

from api_gateway.guard.streams import StreamSlots
from instapay_common.errors import RateLimited
from instapay_common.security.tokens import Principal


def _principal(user: str, *, expires_in: int = 900, session: str | None = None) -> Principal:
    return Principal(
        user_id=user,
        session_id=session or str(uuid.uuid4()),
        token_id=uuid.uuid4().hex,
        scopes=frozenset({"notifications"}),
        expires_at=int(time.time()) + expires_in,
    )


def test_per_user_cap_and_release():
    slots = StreamSlots(per_user=5, per_replica=100, is_revoked=lambda _sid: False)
    leases = [slots.open(_principal("alice")) for _ in range(5)]
    with pytest.raises(RateLimited) as refused:
        slots.open(_principal("alice"))
    assert int(refused.value.headers["Retry-After"]) > 0
    slots.open(_principal("bob"))  # another user is not affected
    leases[0].release()
    leases[0].release()  # releasing twice frees one slot only
    slots.open(_principal("alice"))
    with pytest.raises(RateLimited):
        slots.open(_principal("alice"))
    assert slots.open_for("alice") == 5


def test_per_replica_cap():
    slots = StreamSlots(per_user=5, per_replica=3, is_revoked=lambda _sid: False)
    for user in ("a", "b", "c"):
        slots.open(_principal(user))
    with pytest.raises(RateLimited):
        slots.open(_principal("d"))


def test_a_lease_ends_on_revocation_and_on_expiry():
    revoked: set[str] = set()
    slots = StreamSlots(per_user=5, per_replica=10, is_revoked=revoked.__contains__)
    live = slots.open(_principal("alice", session="s1"))
    expired = slots.open(_principal("alice", expires_in=-1, session="s2"))
    assert not live.ended() and expired.ended()
    revoked.add("s1")
    assert live.ended()
