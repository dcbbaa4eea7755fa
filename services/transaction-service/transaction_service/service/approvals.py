"""Two-person control (maker-checker) of admin actions that move or block money.

One admin proposes (`propose`: an approval, pending for `approval_ttl_seconds`); a different admin
approves it (`approve`), which carries the action out (service.approval_actions) in the same
transaction that marks the approval approved and appends the audit row, so the three happen
together or not at all. The proposer cannot approve (403 `forbidden`; the database refuses it
too); a decided approval cannot be decided again (409 `approval_not_pending`); one past its
expiry cannot be approved (409 `approval_expired`). Any admin may reject a pending one (its
proposer withdrawing it, too). Every step is audited: `<action>.proposed`, `.approved`, `.rejected`.
"""

from __future__ import annotations

import uuid
from typing import Any

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from transaction_service import audit
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import (
    ApprovalExpired,
    ApprovalNotFound,
    ApprovalNotPending,
    SelfApproval,
)
from transaction_service.repository import approvals
from transaction_service.repository.approvals import ApprovalRow
from transaction_service.service import page_cursor
from transaction_service.service.approval_actions import ACTIONS, Execution


async def propose(
    db: Database,
    settings: TransactionSettings,
    *,
    action: str,
    subject: object,
    payload: dict[str, Any],
    proposed_by: uuid.UUID,
) -> ApprovalRow:
    """A pending approval of `action` (a key of ACTIONS) on `subject`, audited as `<action>.proposed`."""
    spec = ACTIONS[action]
    async with rawsql.transaction(db) as conn:
        if spec.check is not None:
            await spec.check(conn, str(subject))
        row = await approvals.insert(
            conn,
            action=action,
            subject=str(subject),
            payload=payload,
            proposed_by=proposed_by,
            ttl_seconds=settings.approval_ttl_seconds,
        )
        await audit.record(conn, f"{action}.proposed", by=proposed_by, subject=subject, approval_id=row.id, **payload)
    return row


def _pending(row: ApprovalRow | None) -> ApprovalRow:
    if row is None:
        raise ApprovalNotFound("no such approval")
    if row.status == "expired":
        raise ApprovalExpired(f"this approval expired at {row.expires_at.isoformat()}")
    if row.status != "pending":
        raise ApprovalNotPending(f"this approval is already {row.status}")
    return row


async def approve(
    db: Database, settings: TransactionSettings, *, approval_id: uuid.UUID, approved_by: uuid.UUID
) -> ApprovalRow:
    """Carries the proposed action out, marks the approval approved (with the action's result)
    and audits `<action>.approved`, in one transaction; the approval row stays locked meanwhile,
    so a concurrent second approval waits and then finds it decided."""
    async with rawsql.transaction(db) as conn:
        locked = await approvals.lock(conn, approval_id)
        if locked is not None and locked.proposed_by == approved_by:
            raise SelfApproval("a different admin must approve what you proposed")
        row = _pending(locked)
        result = await ACTIONS[row.action].execute(Execution(conn, settings, row, approved_by))
        done = await approvals.mark_approved(conn, row.id, by=approved_by, result=result)
        await audit.record(
            conn,
            f"{row.action}.approved",
            by=approved_by,
            subject=row.subject,
            approval_id=row.id,
            proposed_by=row.proposed_by,
            **row.payload,
        )
    return done


async def reject(db: Database, *, approval_id: uuid.UUID, rejected_by: uuid.UUID) -> ApprovalRow:
    """Ends a pending approval without carrying it out; audited `<action>.rejected`."""
    async with rawsql.transaction(db) as conn:
        row = _pending(await approvals.lock(conn, approval_id))
        done = await approvals.mark_rejected(conn, row.id, by=rejected_by)
        await audit.record(
            conn, f"{row.action}.rejected", by=rejected_by, subject=row.subject, approval_id=row.id, **row.payload
        )
    return done


async def list_approvals(
    db: Database, *, status: str | None, limit: int, cursor: str | None
) -> tuple[list[ApprovalRow], str | None]:
    """A page of approvals, newest proposal first, and the next page's cursor."""
    async with rawsql.connection(db) as conn:
        rows = await approvals.page(
            conn, status=status, before=page_cursor.decode(cursor) if cursor else None, limit=limit + 1
        )
    page = rows[:limit]
    return page, page_cursor.encode(page[-1].proposed_at, page[-1].id) if len(rows) > limit else None
