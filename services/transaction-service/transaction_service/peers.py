"""Calls to the other services this one depends on (auth for PINs, user for addresses).

Parties are read from the recipient directory first (`service.directory`) when one is wired:
the user service is called only when the directory has any doubt, and what that call read
teaches the directory (newer versions only)."""

from instapay_common.web.http_client import ServiceClient, UpstreamError
from transaction_service.exceptions import RecipientNotFound
from transaction_service.parties import PartyRef
from transaction_service.service.directory import Directory, parties_answer


class Peers:
    def __init__(self, *, auth: ServiceClient, user: ServiceClient, directory: Directory | None = None) -> None:
        self.auth = auth
        self.user = user
        self.directory = directory

    async def verify_pin(self, *, user_id: str, pin: str) -> None:
        """204 or the auth service's problem (403 pin_not_set/invalid_pin, 423 pin_locked) passed on."""
        await self.auth.request("POST", "/internal/pin/verify", json={"user_id": user_id, "pin": pin})

    async def resolve(self, query: str, *, acting_user_id: str) -> PartyRef:
        """`{user_id, handle, display_name}` for a handle, phone or e-mail, resolved by (and
        counted on the lookup budget of) `acting_user_id`; 429 past that budget is passed on."""
        if self.directory is not None and (known := await self.directory.resolve(query, acting_user_id)):
            return known
        try:
            _, body = await self.user.request(
                "GET", "/internal/users/resolve", params={"q": query, "acting_user_id": acting_user_id}
            )
        except UpstreamError as exc:
            if exc.status in (404, 422):
                raise RecipientNotFound("no user with that handle, phone or e-mail") from exc
            raise
        found = party(body)
        await self._learn(body, acting_user_id, query)
        return found

    async def parties(self, query: str, sender_id: str) -> tuple[PartyRef, PartyRef]:
        """(recipient, sender) in one call: the recipient by handle/phone/e-mail, the sender by id
        (the acting user, whose lookup budget the resolution spends; 429 past it is passed on)."""
        if self.directory is not None and (known := await self.directory.parties(query, sender_id)):
            return known
        try:
            _, body = await self.user.request(
                "GET", "/internal/users/parties", params={"q": query, "sender_id": sender_id}
            )
        except UpstreamError as exc:
            if exc.status in (404, 422):
                raise RecipientNotFound("no user with that handle, phone or e-mail") from exc
            raise
        sender = body.get("sender") if isinstance(body, dict) else None
        found: tuple[PartyRef, PartyRef] = (
            party(body.get("recipient") if isinstance(body, dict) else None),
            party(sender) if sender else {"user_id": sender_id, "handle": None, "display_name": None},
        )
        await self._learn(body, sender_id, query)
        return found

    async def _learn(self, body: object, acting_user_id: str | None, query: str | None) -> None:
        if self.directory is not None and isinstance(body, dict):
            entries, counted_at = parties_answer(body)
            await self.directory.learn(entries, acting_user_id=acting_user_id, query=query, counted_at=counted_at)

    async def profile(self, user_id: str) -> PartyRef:
        if self.directory is not None and (known := await self.directory.profile(user_id)):
            return known
        try:
            _, body = await self.user.request("GET", f"/internal/users/{user_id}")
        except UpstreamError as exc:
            if exc.status == 404:
                # A wallet without a profile (never in practice): show the id only.
                return {"user_id": user_id, "handle": None, "display_name": None}
            raise
        return party(body)


def party(body: object) -> PartyRef:
    """The user service's answer as a party; anything else is treated as no such user."""
    if not isinstance(body, dict) or not body.get("user_id"):
        raise RecipientNotFound("recipient could not be resolved")
    handle = body.get("handle")
    return {
        "user_id": str(body["user_id"]),
        "handle": handle,
        "display_name": body.get("display_name") or handle,
    }
