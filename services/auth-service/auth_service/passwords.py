"""argon2id password hashing; verification costs the same for unknown users (no enumeration by timing)."""

from __future__ import annotations

import anyio
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from auth_service.config import AuthSettings


class Passwords:
    def __init__(self, settings: AuthSettings) -> None:
        self._hash = PasswordHash(
            (
                Argon2Hasher(
                    memory_cost=settings.argon2_memory_kib,
                    time_cost=settings.argon2_time_cost,
                    parallelism=settings.argon2_parallelism,
                ),
            )
        )
        # Verified against when the username matches nobody, so both paths do one argon2 run.
        self._dummy = self._hash.hash("dummy-password-for-unknown-users")
        # argon2 is CPU-bound (~tens of ms): run it off the event loop, a few at a time.
        self._limiter = anyio.CapacityLimiter(4)

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hash.hash, password, limiter=self._limiter)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        target = password_hash or self._dummy
        ok = await anyio.to_thread.run_sync(self._hash.verify, password, target, limiter=self._limiter)
        return ok and password_hash is not None
