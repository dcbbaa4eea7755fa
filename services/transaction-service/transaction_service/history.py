"""Transaction history: keyset pagination over postings, newest first.

The cursor is (created_at, id) of the last posting of a page (opaque to clients). New rows land
before page 1 and never shift later pages; each page, with or without a date range, is one range
scan on (account_id, created_at DESC, id DESC), so its cost does not depend on how deep the client
pages or where the range lies.
"""

import base64
import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.web.cursor import bigint, unpack, utc_timestamp
from transaction_service.exceptions import InvalidCursor
from transaction_service.views import transaction_view


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


async def list_transactions(
    session: AsyncSession,
    *,
    account_id: uuid.UUID,
    limit: int,
    cursor: str | None,
    direction: Literal["in", "out"] | None,
    entry_type: str | None,
    start: datetime | None,
    end: datetime | None,
    counterparty: uuid.UUID | None,
) -> dict[str, Any]:
    where = ["p.account_id = :a"]
    params: dict[str, Any] = {"a": account_id, "lim": limit + 1}
    if cursor:
        where.append("(p.created_at, p.id) < (:cur_t, :cur_id)")
        params["cur_t"], params["cur_id"] = decode_cursor(cursor)
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
    sql = (
        "SELECT p.id AS pid, p.amount, p.balance_after, p.type, p.created_at, e.id AS entry_id, e.currency, "  # noqa: S608
        "e.note, e.sender, e.recipient FROM ledger.postings p JOIN ledger.journal_entries e ON e.id = p.entry_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.created_at DESC, p.id DESC LIMIT :lim"
    )
    # Prepared statements would switch to a generic plan sized for an average wallet (a few hundred
    # rows: "fetch all, sort"), which is slow for a wallet with 100k postings; plan per call instead.
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    rows = (await session.execute(text(sql), params)).all()
    page = rows[:limit]
    items = [
        transaction_view(
            entry_id=r.entry_id,
            entry_type=r.type,
            signed_amount=r.amount,
            currency=r.currency,
            balance_after=r.balance_after,
            note=r.note,
            sender=r.sender,
            recipient=r.recipient,
            created_at=r.created_at,
        )
        for r in page
    ]
    next_cursor = encode_cursor(page[-1].created_at, page[-1].pid) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}
