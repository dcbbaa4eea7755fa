"""Transaction history: keyset pagination over postings, newest first.

The cursor is the last posting id of a page (opaque to clients). Posting ids only grow, so new
rows land before page 1 and never shift later pages; each page is one range scan on
(account_id, id DESC), so its cost does not depend on how deep the client pages.
"""

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from transaction_service.exceptions import InvalidCursor
from transaction_service.views import transaction_view


def encode_cursor(posting_id: int) -> str:
    return base64.urlsafe_b64encode(f"p:{posting_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "p" or not value.isdigit():
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidCursor("cursor is not valid; use next_cursor from the previous page",
                            extra={"errors": [{"field": "cursor", "message": "invalid cursor"}]}) from exc


async def list_transactions(session: AsyncSession, *, account_id: uuid.UUID, limit: int, cursor: str | None,
                            direction: Literal["in", "out"] | None, entry_type: str | None,
                            start: datetime | None, end: datetime | None,
                            counterparty: uuid.UUID | None) -> dict[str, Any]:
    where = ["p.account_id = :a"]
    params: dict[str, Any] = {"a": account_id, "lim": limit + 1}
    if cursor:
        where.append("p.id < :cur")
        params["cur"] = decode_cursor(cursor)
    if direction:
        where.append("p.amount > 0" if direction == "in" else "p.amount < 0")
    if entry_type:
        where.append("p.type = :t")
        params["t"] = entry_type
    if start:
        where.append("p.created_at >= :start")
        params["start"] = start
    if end:
        where.append("p.created_at < :end")
        params["end"] = end
    if counterparty:
        where.append("p.counterparty_user_id = :cp")
        params["cp"] = counterparty
    # Only fixed fragments are joined here; every value is a bound parameter.
    sql = ("SELECT p.id AS pid, p.amount, p.balance_after, p.type, p.created_at, e.id AS entry_id, e.currency, "  # noqa: S608
           "e.note, e.sender, e.recipient FROM ledger.postings p JOIN ledger.journal_entries e ON e.id = p.entry_id "
           f"WHERE {' AND '.join(where)} ORDER BY p.id DESC LIMIT :lim")
    rows = (await session.execute(text(sql), params)).all()
    page = rows[:limit]
    items = [transaction_view(entry_id=r.entry_id, entry_type=r.type, signed_amount=r.amount, currency=r.currency,
                              balance_after=r.balance_after, note=r.note, sender=r.sender, recipient=r.recipient,
                              created_at=r.created_at) for r in page]
    return {"items": items, "next_cursor": encode_cursor(page[-1].pid) if len(rows) > limit else None}
