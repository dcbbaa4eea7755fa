"""Money given back for a transfer: its refunds (transfers with `refund_of`) and its reversal (an
entry of type `reversal` with `reversal_of`). Both read the original under its row lock, so what
was given back and what is given now are decided one at a time per transfer."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service.parties import PartyRef


class Original(NamedTuple):
    """A journal entry as seen from one user's wallet (`incoming`: money came in to it)."""

    id: uuid.UUID
    type: str
    amount: Decimal
    currency: str
    sender: PartyRef | None
    recipient: PartyRef | None
    refund_of: uuid.UUID | None
    reference: str | None
    incoming: bool


class Given(NamedTuple):
    """One refund or the reversal of a transfer."""

    id: uuid.UUID
    type: str  # transfer (a refund) | reversal
    amount: Decimal
    reference: str | None
    created_at: datetime


_ORIGINAL_COLUMNS = (
    "e.id, e.type, e.amount, e.currency, e.sender, e.recipient, e.refund_of, "
    "(SELECT reference FROM ledger.transaction_references WHERE transaction_id = e.id)"
)
# The user's own side of an entry (a transfer has one posting per side; the user's wallet has one).
_OF_USER = Sql(
    f"SELECT {_ORIGINAL_COLUMNS}, p.amount > 0 AS incoming FROM ledger.journal_entries e "  # noqa: S608
    "JOIN ledger.postings p ON p.entry_id = e.id JOIN ledger.accounts a ON a.id = p.account_id "
    "WHERE e.id = :id AND a.user_id = :u"
)
# NO KEY UPDATE: refunds and a reversal of one transfer queue here; a dispute being filed about it
# (a foreign key: KEY SHARE) does not wait for them.
_LOCK = Sql(
    f"SELECT {_ORIGINAL_COLUMNS}, true AS incoming FROM ledger.journal_entries e "  # noqa: S608
    "WHERE e.id = :id FOR NO KEY UPDATE"
)
_RETURNED = Sql(
    "SELECT coalesce(sum(amount), 0) FROM ledger.journal_entries WHERE refund_of = :id OR reversal_of = :id"
)
_GIVEN = Sql(
    "SELECT e.id, e.type, e.amount, tr.reference, e.created_at FROM ledger.journal_entries e "
    "LEFT JOIN ledger.transaction_references tr ON tr.transaction_id = e.id "
    "WHERE e.refund_of = :id OR e.reversal_of = :id ORDER BY e.created_at, e.id"
)


async def of_user(conn: RawConnection, entry_id: uuid.UUID, user_id: uuid.UUID) -> Original | None:
    """The entry if the user's wallet has a posting of it, else None."""
    row = await conn.fetchrow(_OF_USER, id=entry_id, u=user_id)
    return None if row is None else Original(*row)


async def lock(conn: RawConnection, entry_id: uuid.UUID) -> Original:
    """The entry, row-locked until the transaction ends (`incoming` means nothing here)."""
    row = await conn.fetchrow(_LOCK, id=entry_id)
    if row is None:  # callers found it first; journal entries are never deleted
        raise LookupError(f"journal entry {entry_id} vanished")
    return Original(*row)


async def returned(conn: RawConnection, entry_id: uuid.UUID) -> Decimal:
    """What the refunds and the reversal of a transfer gave back so far."""
    total: Decimal = await conn.fetchval(_RETURNED, id=entry_id)
    return total


async def given(conn: RawConnection, entry_id: uuid.UUID) -> list[Given]:
    """The refunds and the reversal of a transfer, oldest first."""
    return [Given(*r) for r in await conn.fetch(_GIVEN, id=entry_id)]
