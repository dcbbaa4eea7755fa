"""A party of a transfer or payment request, as the user service named it at the time.

The same three keys are stored in the ledger (JSONB snapshots on journal entries and payment
requests), answered by the API and carried by events, so a later handle change never rewrites
history.
"""

from typing import TypedDict


class PartyRef(TypedDict):
    user_id: str
    handle: str | None
    display_name: str | None
