"""Which subscribers receive each event type: the catalogue of docs/EVENTS.md.

Domain knowledge, so it lives with the relay and not in the shared library. Every documented
event type is listed, with no subscriber where none consumes it yet; any type with no subscriber
is marked dispatched and delivered to nobody; `OUTBOX_SUBSCRIPTIONS` (outbox_relay.config)
replaces the entries of the types it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

REPORTING = "reporting"
NOTIFICATION = "notification"
# The transaction service's payout submitter (PAYOUTS_URL is the transaction service itself): a
# withdrawal's payout is requested from the provider outside the transaction that held the money.
PAYOUTS = "payouts"
# The transaction service's recipient directory (DIRECTORY_URL is the transaction service itself):
# its local copy of the profiles that transfers resolve their parties from.
DIRECTORY = "directory"

DEFAULT_SUBSCRIPTIONS: Mapping[str, tuple[str, ...]] = {
    "transfer.completed": (REPORTING, NOTIFICATION),
    # A refund moves money as a `transfer.completed` (reporting counts that one); this event tells
    # both parties and webhooks what it was.
    "refund.created": (NOTIFICATION,),
    # An operator's reversal after a dispute: money between two users, like a transfer.
    "transfer.reversed": (REPORTING, NOTIFICATION),
    "dispute.opened": (NOTIFICATION,),
    "dispute.resolved": (NOTIFICATION,),
    "topup.completed": (REPORTING, NOTIFICATION),
    "withdrawal.completed": (REPORTING, NOTIFICATION),
    "withdrawal.requested": (PAYOUTS,),
    "withdrawal.failed": (NOTIFICATION,),
    "topup.failed": (NOTIFICATION,),
    "scheduled_transfer.failed": (NOTIFICATION,),
    "wallet.frozen": (NOTIFICATION,),
    "wallet.unfrozen": (NOTIFICATION,),
    "payment_request.created": (NOTIFICATION,),
    "payment_request.accepted": (NOTIFICATION,),
    "payment_request.declined": (NOTIFICATION,),
    "payment_request.cancelled": (NOTIFICATION,),
    "user.registered": (REPORTING, NOTIFICATION),
    "security.login": (NOTIFICATION,),
    "security.password_changed": (NOTIFICATION,),
    "security.pin_changed": (NOTIFICATION,),
    "security.pin_locked": (NOTIFICATION,),
    "security.api_client_created": (NOTIFICATION,),
    "security.api_client_revoked": (NOTIFICATION,),
    "security.password_reset": (NOTIFICATION,),
    "security.contact_changed": (NOTIFICATION,),
    "security.contact_claim_dropped": (NOTIFICATION,),
    # The record of a verification; the user and transaction services are told by direct,
    # retried calls (auth_service.service.contact_sync), not by this event.
    "user.contact_verified": (),
    "user.profile_changed": (DIRECTORY,),
}


def subscriber_names(*catalogues: Mapping[str, Iterable[str]]) -> set[str]:
    """Every subscriber that receives at least one event type in any of `catalogues`."""
    return {sub for catalogue in catalogues for subs in catalogue.values() for sub in subs}


def merged(overrides: Mapping[str, Sequence[str]]) -> dict[str, Sequence[str]]:
    """The default catalogue with the entries of `overrides` replacing those of the same type."""
    subscriptions: dict[str, Sequence[str]] = dict(DEFAULT_SUBSCRIPTIONS)
    subscriptions.update(overrides)
    return subscriptions
