"""Calls to the other services this one depends on (auth for PINs, user for addresses)."""

from instapay_common.web.http_client import ServiceClient, UpstreamError
from transaction_service.exceptions import RecipientNotFound
from transaction_service.parties import PartyRef


class Peers:
    def __init__(self, *, auth: ServiceClient, user: ServiceClient) -> None:
        self.auth = auth
        self.user = user

    async def verify_pin(self, *, user_id: str, pin: str) -> None:
        """204 or the auth service's problem (403 pin_not_set/invalid_pin, 423 pin_locked) passed on."""
        await self.auth.request("POST", "/internal/pin/verify", json={"user_id": user_id, "pin": pin})

    async def resolve(self, query: str, *, acting_user_id: str) -> PartyRef:
        """`{user_id, handle, display_name}` for a handle, phone or e-mail, resolved by (and
        counted on the lookup budget of) `acting_user_id`; 429 past that budget is passed on."""
        try:
            _, body = await self.user.request(
                "GET", "/internal/users/resolve", params={"q": query, "acting_user_id": acting_user_id}
            )
        except UpstreamError as exc:
            if exc.status in (404, 422):
                raise RecipientNotFound("no user with that handle, phone or e-mail") from exc
            raise
        return party(body)

    async def parties(self, query: str, sender_id: str) -> tuple[PartyRef, PartyRef]:
        """(recipient, sender) in one call: the recipient by handle/phone/e-mail, the sender by id
        (the acting user, whose lookup budget the resolution spends; 429 past it is passed on)."""
        try:
            _, body = await self.user.request(
                "GET", "/internal/users/parties", params={"q": query, "sender_id": sender_id}
            )
        except UpstreamError as exc:
            if exc.status in (404, 422):
                raise RecipientNotFound("no user with that handle, phone or e-mail") from exc
            raise
        sender = body.get("sender") if isinstance(body, dict) else None
        return (
            party(body.get("recipient") if isinstance(body, dict) else None),
            party(sender) if sender else {"user_id": sender_id, "handle": None, "display_name": None},
        )

    async def profile(self, user_id: str) -> PartyRef:
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
