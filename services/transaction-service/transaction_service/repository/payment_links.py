"""Payment links (`ledger.payment_links`): a user's links to get paid and the one `static` link
behind their receive code. `expired` is never stored: an active link past `expires_at` reads as
expired (`service.payment_links.effective_status`)."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql


class PaymentLink(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    kind: str  # link | static
    handle: str
    amount: Decimal | None
    reference: str | None
    single_use: bool
    expires_at: datetime | None
    status: str  # active | used | cancelled
    paid_transfer_id: uuid.UUID | None
    created_at: datetime


_COLUMNS = ", ".join(PaymentLink._fields)
_INSERT = Sql(
    "INSERT INTO ledger.payment_links (id, user_id, kind, handle, amount, reference, single_use, expires_at) "  # noqa: S608
    f"VALUES (:id, :u, 'link', :h, :a, :r, :s, :e) RETURNING {_COLUMNS}"
)
# The static link is made once per user; a parallel first call finds the other's row.
_STATIC = Sql(
    "INSERT INTO ledger.payment_links (id, user_id, kind, handle) VALUES (:id, :u, 'static', :h) "  # noqa: S608
    "ON CONFLICT (user_id) WHERE kind = 'static' DO UPDATE SET handle = EXCLUDED.handle, "
    f"updated_at = clock_timestamp() RETURNING {_COLUMNS}"
)
_GET = Sql(f"SELECT {_COLUMNS} FROM ledger.payment_links WHERE id = :id")  # noqa: S608
_LOCK = Sql(f"SELECT {_COLUMNS} FROM ledger.payment_links WHERE id = :id FOR UPDATE")  # noqa: S608
_USED = Sql(
    "UPDATE ledger.payment_links SET status = 'used', paid_transfer_id = :t, updated_at = clock_timestamp() "
    "WHERE id = :id AND status = 'active'"
)
_CANCEL = Sql(
    "UPDATE ledger.payment_links SET status = 'cancelled', updated_at = clock_timestamp() "
    "WHERE id = :id AND user_id = :u AND kind = 'link' AND status <> 'cancelled' RETURNING id"
)
_OWNED = Sql("SELECT 1 FROM ledger.payment_links WHERE id = :id AND user_id = :u AND kind = 'link'")
_PAGE = Sql(
    f"SELECT {_COLUMNS} FROM ledger.payment_links WHERE user_id = :u AND kind = 'link' "  # noqa: S608
    "ORDER BY created_at DESC, id DESC LIMIT :lim"
)
_PAGE_AFTER = Sql(
    f"SELECT {_COLUMNS} FROM ledger.payment_links WHERE user_id = :u AND kind = 'link' "  # noqa: S608
    "AND (created_at, id) < (:ct, :ci) ORDER BY created_at DESC, id DESC LIMIT :lim"
)
# One user's creations one at a time (until commit), so a parallel burst cannot pass the cap.
_LOCK_CREATOR = Sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_RECENT = Sql(
    "SELECT count(*) AS n, min(created_at) AS oldest FROM ledger.payment_links "
    "WHERE user_id = :u AND kind = 'link' AND created_at > now() - make_interval(secs => :w)"
)


async def insert(
    conn: RawConnection,
    *,
    user_id: uuid.UUID,
    handle: str,
    amount: Decimal | None,
    reference: str | None,
    single_use: bool,
    expires_at: datetime | None,
) -> PaymentLink:
    row = await conn.fetchrow(
        _INSERT, id=uuid.uuid4(), u=user_id, h=handle, a=amount, r=reference, s=single_use, e=expires_at
    )
    if row is None:  # INSERT ... RETURNING always answers its row
        raise RuntimeError("payment link insert returned no row")
    return PaymentLink(*row)


async def static_link(conn: RawConnection, *, user_id: uuid.UUID, handle: str) -> PaymentLink:
    """The user's static link, made on first use (its handle kept current)."""
    row = await conn.fetchrow(_STATIC, id=uuid.uuid4(), u=user_id, h=handle)
    if row is None:
        raise RuntimeError("static link upsert returned no row")
    return PaymentLink(*row)


async def get(conn: RawConnection, link_id: uuid.UUID) -> PaymentLink | None:
    row = await conn.fetchrow(_GET, id=link_id)
    return None if row is None else PaymentLink(*row)


async def lock(conn: RawConnection, link_id: uuid.UUID) -> PaymentLink | None:
    """The link, row-locked until the transaction ends: payments of one link queue here."""
    row = await conn.fetchrow(_LOCK, id=link_id)
    return None if row is None else PaymentLink(*row)


async def mark_used(conn: RawConnection, link_id: uuid.UUID, transfer_id: uuid.UUID) -> None:
    await conn.execute(_USED, id=link_id, t=transfer_id)


async def cancel(conn: RawConnection, link_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """True if the user's link exists (cancelled now or before); False if not theirs or unknown."""
    if await conn.fetchrow(_CANCEL, id=link_id, u=user_id) is not None:
        return True
    return await conn.fetchrow(_OWNED, id=link_id, u=user_id) is not None


async def page(
    conn: RawConnection, user_id: uuid.UUID, *, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[PaymentLink]:
    if before:
        rows = await conn.fetch(_PAGE_AFTER, u=user_id, ct=before[0], ci=before[1], lim=limit)
    else:
        rows = await conn.fetch(_PAGE, u=user_id, lim=limit)
    return [PaymentLink(*r) for r in rows]


async def recent_of_user(
    conn: RawConnection, user_id: uuid.UUID, *, window_seconds: int
) -> tuple[int, datetime | None]:
    """(links made in the window, oldest of them); holds the user's creation lock until commit."""
    await conn.execute(_LOCK_CREATOR, key=f"payment_links:{user_id}")
    row = await conn.fetchrow(_RECENT, u=user_id, w=window_seconds)
    return (0, None) if row is None else (int(row["n"]), row["oldest"])
