"""Approvals of admin actions under two-person control (`ledger.approvals`). `expired` is never
stored: a pending approval past `expires_at` reads as expired, as payment requests do."""

import uuid
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql


class ApprovalRow(NamedTuple):
    id: uuid.UUID
    action: str
    subject: str
    payload: dict[str, Any]
    proposed_by: uuid.UUID
    proposed_at: datetime
    expires_at: datetime
    status: str  # as the API shows it: a pending one past expires_at is "expired"
    approved_by: uuid.UUID | None
    approved_at: datetime | None
    rejected_by: uuid.UUID | None
    rejected_at: datetime | None
    result: dict[str, Any] | None


_COLUMNS = (
    "id, action, subject, payload, proposed_by, proposed_at, expires_at, "
    "CASE WHEN status = 'pending' AND expires_at <= now() THEN 'expired' ELSE status END AS status, "
    "approved_by, approved_at, rejected_by, rejected_at, result"
)
_INSERT = Sql(
    "INSERT INTO ledger.approvals (id, action, subject, payload, proposed_by, proposed_at, expires_at) "  # noqa: S608
    "VALUES (:id, :action, :subject, CAST(:payload AS jsonb), :by, now(), now() + make_interval(secs => :ttl)) "
    f"RETURNING {_COLUMNS}"
)
_LOCK = Sql(f"SELECT {_COLUMNS} FROM ledger.approvals WHERE id = :id FOR UPDATE")  # noqa: S608
_APPROVE = Sql(
    "UPDATE ledger.approvals SET status = 'approved', approved_by = :by, approved_at = now(), "  # noqa: S608
    f"result = CAST(:result AS jsonb) WHERE id = :id RETURNING {_COLUMNS}"
)
_REJECT = Sql(
    "UPDATE ledger.approvals SET status = 'rejected', rejected_by = :by, rejected_at = now() "  # noqa: S608
    f"WHERE id = :id RETURNING {_COLUMNS}"
)
_STATUS = {
    None: "TRUE",
    "pending": "status = 'pending' AND expires_at > now()",
    "expired": "status = 'pending' AND expires_at <= now()",
    "approved": "status = 'approved'",
    "rejected": "status = 'rejected'",
}
_PAGE = {
    (status, keyset): Sql(
        f"SELECT {_COLUMNS} FROM ledger.approvals WHERE {where}"  # noqa: S608 - fixed text
        + (" AND (proposed_at, id) < (:ba, :bi)" if keyset else "")
        + " ORDER BY proposed_at DESC, id DESC LIMIT :lim"
    )
    for status, where in _STATUS.items()
    for keyset in (False, True)
}


def _json(value: Any) -> Any:
    """A JSONB value: decoded by the pool's codec, or still text where no codec is set."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _row(record: Any) -> ApprovalRow:
    row = ApprovalRow(*record)
    return row._replace(payload=_json(row.payload), result=_json(row.result))


async def insert(
    conn: RawConnection,
    *,
    action: str,
    subject: str,
    payload: dict[str, Any],
    proposed_by: uuid.UUID,
    ttl_seconds: int,
) -> ApprovalRow:
    row = await conn.fetchrow(
        _INSERT,
        id=uuid.uuid4(),
        action=action,
        subject=subject,
        payload=orjson.dumps(payload).decode(),
        by=proposed_by,
        ttl=ttl_seconds,
    )
    if row is None:  # INSERT ... RETURNING always answers its row
        raise RuntimeError("approval insert returned no row")
    return _row(row)


async def lock(conn: RawConnection, approval_id: uuid.UUID) -> ApprovalRow | None:
    """The approval, row-locked until the transaction ends (a second approver waits, then sees it decided)."""
    row = await conn.fetchrow(_LOCK, id=approval_id)
    return None if row is None else _row(row)


async def mark_approved(
    conn: RawConnection, approval_id: uuid.UUID, *, by: uuid.UUID, result: dict[str, Any] | None
) -> ApprovalRow:
    row = await conn.fetchrow(_APPROVE, id=approval_id, by=by, result=orjson.dumps(result).decode())
    if row is None:
        raise RuntimeError("approval vanished under its row lock")
    return _row(row)


async def mark_rejected(conn: RawConnection, approval_id: uuid.UUID, *, by: uuid.UUID) -> ApprovalRow:
    row = await conn.fetchrow(_REJECT, id=approval_id, by=by)
    if row is None:
        raise RuntimeError("approval vanished under its row lock")
    return _row(row)


async def page(
    conn: RawConnection, *, status: str | None, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[ApprovalRow]:
    """Up to `limit` approvals, newest proposal first."""
    params: dict[str, Any] = {"lim": limit}
    if before is not None:
        params["ba"], params["bi"] = before
    rows = await conn.fetch(_PAGE[(status, before is not None)], **params)
    return [_row(r) for r in rows]


_PENDING_COUNT = Sql(f"SELECT count(*) FROM ledger.approvals WHERE {_STATUS['pending']}")  # noqa: S608 - fixed text


async def pending_count(conn: RawConnection) -> int:
    """Approvals waiting for a second admin (not expired): the `approvals_pending` gauge."""
    return int(await conn.fetchval(_PENDING_COUNT))
