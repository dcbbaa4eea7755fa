"""Recipients' profiles from user-service, cached briefly: language, channel preferences and
addresses rarely change, and a notification burst should not fan out into as many user-service
calls. One profile: `GET /internal/users/{id}`; a batch's (events, deliveries): the cache, then
all the misses in one `POST /internal/users/lookup` (per 500 ids)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from instapay_common.errors import DomainError
from instapay_common.logging import get_logger
from instapay_common.web.http_client import ServiceClient, UpstreamError

log = get_logger("profiles")
LOOKUP_MAX = 500  # ids per `POST /internal/users/lookup` (user-service's limit)


@dataclass(frozen=True)
class Profile:
    user_id: uuid.UUID
    email: str | None
    phone: str | None
    language: str
    notify_email: bool
    notify_sms: bool
    # An unverified phone or e-mail may be someone else's (a claim nobody proved): no notice goes there.
    email_verified: bool = False
    phone_verified: bool = False

    @property
    def email_address(self) -> str | None:
        """Where e-mail notices go: the verified e-mail the user wants them at, else nowhere."""
        return self.email if self.notify_email and self.email_verified else None

    @property
    def sms_number(self) -> str | None:
        """Where SMS notices go: the verified phone the user wants them at, else nowhere."""
        return self.phone if self.notify_sms and self.phone_verified else None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Profile:
        prefs = body.get("preferences") or {}
        return cls(
            user_id=uuid.UUID(str(body["user_id"])),
            email=body.get("email"),
            phone=body.get("phone"),
            language=str(prefs.get("language") or "en"),
            notify_email=bool(prefs.get("notify_email")),
            notify_sms=bool(prefs.get("notify_sms")),
            email_verified=bool(body.get("email_verified")),
            phone_verified=bool(body.get("phone_verified")),
        )


class ProfileDirectory:
    def __init__(self, client: ServiceClient, *, ttl_seconds: float) -> None:
        self.client = client
        self.ttl = ttl_seconds
        self._cache: dict[uuid.UUID, tuple[float, Profile | None]] = {}
        self._no_lookup = False  # a user-service without the lookup route (an older one, mid-upgrade)

    async def get(self, user_id: uuid.UUID) -> Profile | None:
        """The profile, or None if it does not exist or user-service cannot answer now."""
        hit = self._cache.get(user_id)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        try:
            _, body = await self.client.request("GET", f"/internal/users/{user_id}")
        except DomainError as exc:
            log.warning("profile_unavailable", user_id=str(user_id), error=exc.code)
            return None
        return self._keep(Profile.from_json(body))

    def _keep(self, profile: Profile) -> Profile:
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[profile.user_id] = (time.monotonic() + self.ttl, profile)
        return profile

    async def get_many(self, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Profile | None]:
        """`get` for several users: cache hits at once, the misses in one lookup call (a batch of
        events or deliveries would otherwise make one user-service call per recipient)."""
        now = time.monotonic()
        found: dict[uuid.UUID, Profile | None] = {}
        missing: list[uuid.UUID] = []
        for user_id in dict.fromkeys(user_ids):
            hit = self._cache.get(user_id)
            if hit and hit[0] > now:
                found[user_id] = hit[1]
            else:
                missing.append(user_id)
        for start in range(0, len(missing), LOOKUP_MAX):
            found.update(await self._lookup(missing[start : start + LOOKUP_MAX]))
        return found

    async def _lookup(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Profile | None]:
        """The profiles of `user_ids` (None: no such profile, or user-service cannot answer now)."""
        if not self._no_lookup:
            try:
                _, body = await self.client.request(
                    "POST", "/internal/users/lookup", json={"ids": [str(u) for u in user_ids]}
                )
            except UpstreamError as exc:
                if exc.status not in (404, 405):
                    log.warning("profiles_unavailable", users=len(user_ids), error=exc.code)
                    return dict.fromkeys(user_ids)
                self._no_lookup = True  # then one call per profile, concurrently, from now on
            except DomainError as exc:
                log.warning("profiles_unavailable", users=len(user_ids), error=exc.code)
                return dict.fromkeys(user_ids)
            else:
                got = {p.user_id: p for p in (self._keep(Profile.from_json(item)) for item in body["items"])}
                return {u: got.get(u) for u in user_ids}
        return dict(zip(user_ids, await asyncio.gather(*(self.get(u) for u in user_ids)), strict=True))

    def forget(self, user_id: uuid.UUID) -> None:
        self._cache.pop(user_id, None)
