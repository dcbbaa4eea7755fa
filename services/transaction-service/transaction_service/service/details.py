"""One transaction in full (`GET /transactions/{id}`): the caller's history row plus its
reference, both parties, the fee, the status timeline and what it is linked to.

Owner only: the caller's wallet must have a posting of it, or (a pending or failed top-up or
withdrawal) the operation must be theirs; anything else is 404, as if it did not exist.
"""

import uuid
from decimal import Decimal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from transaction_service.exceptions import TransactionNotFound
from transaction_service.money import fmt
from transaction_service.parties import PartyRef
from transaction_service.repository import accounts, disputes, funding_operations, ledger, returns
from transaction_service.repository.disputes import Dispute
from transaction_service.repository.funding_operations import FundingOperation
from transaction_service.repository.ledger import HistoryRow
from transaction_service.repository.returns import Given
from transaction_service.schemas import JsonObject, party_body, rfc3339
from transaction_service.service.funding_outcomes import operation_body
from transaction_service.service.history import history_row_body


def _owner(op: FundingOperation) -> PartyRef:
    return {"user_id": str(op.user_id), "handle": op.handle, "display_name": op.handle}


def _funding_parties(op: FundingOperation) -> JsonObject:
    """Money from outside has no sender; money leaving has no recipient on the platform."""
    owner = party_body(_owner(op))
    return {"sender": None, "recipient": owner} if op.kind == "topup" else {"sender": owner, "recipient": None}


async def transaction_detail(db: Database, *, user_id: uuid.UUID, transaction_id: uuid.UUID) -> JsonObject:
    async with rawsql.connection(db) as conn:
        wallet = await accounts.get(conn, user_id)
        if wallet is None:
            raise TransactionNotFound("no such transaction")
        found = await ledger.detail_for_account(conn, transaction_id, wallet.id)
        operation = await funding_operations.of_user(conn, transaction_id, user_id)
        is_original = found is not None and found.row.type == "transfer" and found.row.refund_of is None
        given = await returns.given(conn, transaction_id) if is_original else []
        dispute = await disputes.latest_of_transfer(conn, transaction_id) if is_original else None
    links: JsonObject = _links(found.row if found else None, given, dispute)
    if found is not None:
        r = found.row
        body = history_row_body(r)
        if r.type in ("transfer", "reversal"):
            parties: JsonObject = {"sender": party_body(r.sender), "recipient": party_body(r.recipient)}
            timeline = [{"status": "completed", "at": rfc3339(r.created_at)}]
            timeline += [{"status": "reversed", "at": rfc3339(g.created_at)} for g in given if g.type == "reversal"]
        else:
            assert operation is not None  # a posted top-up or withdrawal is its operation's entry
            op, _ = operation
            parties = _funding_parties(op)
            timeline = [
                {"status": "pending", "at": rfc3339(op.created_at)},
                {"status": "completed", "at": rfc3339(r.created_at)},
            ]
        link_id = found.payment_link_id
    elif operation is not None:
        op, changed_at = operation
        body = operation_body(op, balance_after=wallet.balance)
        parties = _funding_parties(op)
        timeline = [{"status": "pending", "at": rfc3339(op.created_at)}]
        if op.status == "failed":
            timeline.append({"status": "failed", "at": rfc3339(changed_at)})
        link_id = None
    else:
        raise TransactionNotFound("no such transaction")
    return {
        **body,
        "parties": parties,
        "fee": "0.00",
        "timeline": timeline,
        "payment_link_id": str(link_id) if link_id else None,
        **links,
        # A funding operation has no schedule; a transfer's row says which made it.
        "schedule_id": body.get("schedule_id"),
    }


def _links(row: HistoryRow | None, given: list[Given], dispute: Dispute | None) -> JsonObject:
    """What a transfer is linked to: the transfer a refund refunds, an original's refunds and
    reversal with what they gave back (and what its recipient may still refund), its latest
    dispute. A dispute is shown to both sides, like `GET /disputes` does."""
    refund_of = row.refund_of if row else None
    if row is None or row.type != "transfer" or refund_of is not None:
        return {
            "refund_of": str(refund_of) if refund_of else None,
            "refunds": [],
            "refunded_amount": None,
            "refundable_amount": None,
            "dispute_id": None,
            "dispute": None,
        }
    refunded = sum((g.amount for g in given), Decimal(0))
    received = row.amount > 0
    return {
        "refund_of": None,
        "refunds": [
            {
                "id": str(g.id),
                "type": "reversal" if g.type == "reversal" else "refund",
                "amount": fmt(g.amount),
                "reference": g.reference,
                "created_at": rfc3339(g.created_at),
            }
            for g in given
        ],
        "refunded_amount": fmt(refunded),
        "refundable_amount": fmt(abs(row.amount) - refunded) if received else None,
        "dispute_id": str(dispute.id) if dispute else None,
        "dispute": (
            {
                "id": str(dispute.id),
                "reference": dispute.reference,
                "status": dispute.status,
                "reason": dispute.reason,
                "created_at": rfc3339(dispute.created_at),
            }
            if dispute
            else None
        ),
    }
