"""Transaction history: keyset pagination over a wallet's postings, newest first, merged with its
pending and failed top-ups and withdrawals (funding operations without a posting).

The cursor is (created_at, id) of the last row of a page (opaque to clients); a funding
operation's `seq` comes from the postings' id sequence, so (created_at, id) orders both kinds. New rows land
before page 1 and never shift later pages; each page, with or without a date range, is one range
scan on (account_id, created_at DESC, id DESC), so its cost does not depend on how deep the client
pages or where the range lies.
"""

import base64
import re
import uuid
from datetime import datetime
from typing import Literal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.web.cursor import bigint, unpack, utc_timestamp
from transaction_service.exceptions import InvalidCursor, RecipientNotFound, WalletNotFound
from transaction_service.peers import Peers
from transaction_service.repository import accounts, funding_operations, ledger
from transaction_service.repository.ledger import HistoryFilter, HistoryRow, like_pattern
from transaction_service.schemas import JsonObject, funding_source_body, page_body, transaction_body
from transaction_service.service.funding_outcomes import operation_body


def encode_cursor(created_at: datetime, posting_id: int) -> str:
    return base64.urlsafe_b64encode(f"p:{created_at.isoformat()}|{posting_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        kind, _, value = unpack(cursor).partition(":")
        created, _, pid = value.partition("|")
        if kind != "p":
            raise ValueError(kind)
        return utc_timestamp(created), bigint(pid)
    except ValueError as exc:
        raise InvalidCursor(
            "cursor is not valid; use next_cursor from the previous page",
            extra={"errors": [{"field": "cursor", "message": "invalid cursor"}]},
        ) from exc


# A phone number or an e-mail address names one user exactly (user service); anything else is text
# searched in the names and handles of the wallet's own counterparties ("Bassem" finds "Bassem Y.").
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,}")


def _is_exact_identifier(counterparty: str) -> bool:
    return bool(_PHONE.fullmatch(counterparty)) or "@" in counterparty[1:]


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def _counterparty_id(peers: Peers, counterparty: str, *, acting_user_id: uuid.UUID) -> uuid.UUID | None:
    """A user id as given, else the user a handle, phone or e-mail names (None: nobody). A name
    is a recipient resolution: it spends the acting user's lookup budget (user service)."""
    try:
        return uuid.UUID(counterparty)
    except ValueError:
        try:
            return uuid.UUID((await peers.resolve(counterparty, acting_user_id=str(acting_user_id)))["user_id"])
        except RecipientNotFound:
            return None


def history_row_body(r: HistoryRow) -> JsonObject:
    """`Transaction`: a posting of the wallet's history as the API shows it (lists and details)."""
    return transaction_body(
        entry_id=r.entry_id,
        entry_type=r.type,
        signed_amount=r.amount,
        currency=r.currency,
        balance_after=r.balance_after,
        note=r.note,
        sender=r.sender,
        recipient=r.recipient,
        created_at=r.created_at,
        reference=r.reference,
        payment_request_id=r.payment_request_id,
        funding_source=funding_source_body(r.funding_method, r.funding_reference),
        refund_of=r.refund_of,
        reversal_of=r.reversal_of,
        # The original transfer stays as it was in the ledger; a reversal of it shows as its status.
        status="reversed" if r.reversed else "completed",
        schedule_id=r.schedule_id,
    )


async def list_transactions(
    db: Database,
    peers: Peers,
    *,
    user_id: uuid.UUID,
    limit: int,
    cursor: str | None,
    direction: Literal["in", "out"] | None,
    entry_type: str | None,
    start: datetime | None,
    end: datetime | None,
    counterparty: str | None,
) -> JsonObject:
    """The page of the user's history; `counterparty` is a user id, a phone or e-mail (that user),
    or text matched in part, case-insensitively, against the other party's name or handle."""
    # One transaction: the history statement's plan setting is transaction-scoped.
    async with rawsql.transaction(db) as conn:
        wallet = await accounts.get(conn, user_id)
        if wallet is None:
            raise WalletNotFound("no wallet for this user")
        counterparty_id = None
        counterparty_like = None
        text = (counterparty or "").strip()
        if text and (_uuid_or_none(text) or _is_exact_identifier(text)):
            counterparty_id = await _counterparty_id(peers, text, acting_user_id=user_id)
            if counterparty_id is None:
                return page_body([], None)
        elif text.lstrip("@"):
            counterparty_like = like_pattern(text.lstrip("@"))
        query = HistoryFilter(
            account_id=wallet.id,
            before=decode_cursor(cursor) if cursor else None,
            direction=direction,
            entry_type=entry_type,
            start=start,
            end=end,
            counterparty=counterparty_id,
            counterparty_like=counterparty_like,
        )
        rows = await ledger.history(conn, query, limit=limit + 1)
        # Funding operations have no counterparty: a counterparty filter leaves them out.
        open_ops = (
            []
            if counterparty_id or counterparty_like
            else await funding_operations.open_history(
                conn,
                account_id=wallet.id,
                before=query.before,
                direction=direction,
                entry_type=entry_type,
                start=start,
                end=end,
                limit=limit + 1,
            )
        )
    merged: list[tuple[datetime, int, JsonObject]] = [
        (
            r.created_at,
            r.posting_id,
            history_row_body(r),
        )
        for r in rows
    ]
    # A pending or failed operation left the balance as it was: the wallet's balance now is
    # exact for a pending one, and the best there is for a failed one.
    merged += [(op.created_at, op.seq, operation_body(op, balance_after=wallet.balance)) for op in open_ops]
    merged.sort(key=lambda row: (row[0], row[1]), reverse=True)
    page = merged[:limit]
    items = [row[2] for row in page]
    return page_body(items, encode_cursor(page[-1][0], page[-1][1]) if len(merged) > limit else None)
