"""What each admin action under two-person control does once a second admin approves it.

An action is proposed with a `subject` (what it acts on: a user id, a dispute id) and a JSON
`payload` (its arguments); `service.approvals.approve` calls its `execute` in the same transaction
that marks the approval approved and audits it, so the action happens exactly when (and only if)
the approval is recorded. What `execute` returns is stored with the approval and answered to the
approver.

Adding an action is one entry in `ACTIONS` below (an `execute`, and a `check` run at proposal
time) and a route that proposes it with `approvals.propose(..., action=..., subject=..., payload=...)`
(api/admin.py for wallets, api/disputes.py for disputes).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from instapay_common.db.rawsql import RawConnection
from transaction_service.config import TransactionSettings
from transaction_service.repository.approvals import ApprovalRow
from transaction_service.schemas import wallet_body
from transaction_service.service import disputes, wallets
from transaction_service.service.limits import limits_view


@dataclass(frozen=True)
class Execution:
    """An approved action being carried out, inside the approving transaction."""

    conn: RawConnection
    settings: TransactionSettings
    approval: ApprovalRow
    approved_by: uuid.UUID


@dataclass(frozen=True)
class ApprovalAction:
    # Carries the action out; the JSON it returns is the approval's `result`.
    execute: Callable[[Execution], Awaitable[Any]]
    # At proposal time: refuses a subject the action could never apply to (404), so a typo is
    # not discovered only by the second admin. None: nothing to check.
    check: Callable[[RawConnection, str], Awaitable[None]] | None = None


async def _wallet_exists(conn: RawConnection, subject: str) -> None:
    await wallets.wallet_exists(conn, uuid.UUID(subject))


def _set_frozen(frozen: bool) -> Callable[[Execution], Awaitable[Any]]:
    async def execute(e: Execution) -> Any:
        wallet = await wallets.apply_frozen(
            e.conn, user_id=uuid.UUID(e.approval.subject), frozen=frozen, reason=e.approval.payload.get("reason")
        )
        return wallet_body(wallet, limits_view(wallet, e.settings))

    return execute


async def _set_limits(e: Execution) -> Any:
    wallet = await wallets.apply_limits(e.conn, user_id=uuid.UUID(e.approval.subject), payload=e.approval.payload)
    return wallet_body(wallet, limits_view(wallet, e.settings))


async def _dispute_open(conn: RawConnection, subject: str) -> None:
    await disputes.require_open(conn, uuid.UUID(subject))


async def _resolve_dispute(e: Execution) -> Any:
    return await disputes.carry_out_resolution(
        e.conn,
        dispute_id=uuid.UUID(e.approval.subject),
        outcome=str(e.approval.payload["outcome"]),
        note=str(e.approval.payload["note"]),
        approved_by=e.approved_by,
    )


ACTIONS: dict[str, ApprovalAction] = {
    "wallet.freeze": ApprovalAction(_set_frozen(True), check=_wallet_exists),
    "wallet.unfreeze": ApprovalAction(_set_frozen(False), check=_wallet_exists),
    # Per-wallet overrides of the spending limits (payload: the limits named, null = default).
    "wallet.limits": ApprovalAction(_set_limits, check=_wallet_exists),
    # A dispute's outcome: `reverse` takes the money back from the recipient (a linked reversal
    # entry), `reject` closes the case.
    "dispute.resolve": ApprovalAction(_resolve_dispute, check=_dispute_open),
}
