"""Reconciliation: the provider's settlement report of a day against the ledger.

Each settled item is matched by operation id (our idempotency key) with a completed funding
operation of the same amount. A report item with no completed operation is `missing_in_ledger`; a
completed operation of the day absent from the reports of that day and the days either side (a
completion near midnight can be settled on the other side of it) is `missing_at_provider`; an
item whose amount differs is an `amount_mismatch`. The result is stored per (provider, day),
exported as `reconciliation_discrepancies` (an alert rule fires above zero) and shown to admins.
"""

from datetime import date, timedelta

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from transaction_service.funding.provider import FundingProvider, SettlementItem
from transaction_service.metrics import RECONCILIATION_DISCREPANCIES
from transaction_service.money import fmt
from transaction_service.repository import funding_operations, provider_callbacks
from transaction_service.repository.funding_operations import day_bounds
from transaction_service.repository.provider_callbacks import ReconciliationRun
from transaction_service.schemas import JsonObject, rfc3339


def _item(item: SettlementItem) -> dict[str, str]:
    return {
        "operation_id": str(item.operation_id),
        "provider_id": item.provider_id,
        "kind": item.kind,
        "amount": fmt(item.amount),
        "settled_at": rfc3339(item.settled_at),
    }


async def reconcile(db: Database, funding: FundingProvider, day: date) -> ReconciliationRun:
    """Compares and stores the result of `day` (UTC); running it again replaces it."""
    report = await funding.settlement(day)
    around = {
        i.operation_id for d in (day - timedelta(days=1), day + timedelta(days=1)) for i in await funding.settlement(d)
    }
    start, end = day_bounds(day)
    async with rawsql.connection(db) as conn:
        ours = await funding_operations.by_ids(conn, [i.operation_id for i in report])
        completed = await funding_operations.completed_between(conn, provider=funding.name, start=start, end=end)
    matched = 0
    missing_in_ledger: list[dict[str, str]] = []
    mismatch: list[dict[str, str]] = []
    for item in report:
        op = ours.get(item.operation_id)
        expected_kind = "topup" if item.kind == "charge" else "withdrawal"
        if op is None or op.status != "completed" or op.kind != expected_kind:
            missing_in_ledger.append(_item(item))
        elif op.amount != item.amount:
            mismatch.append({**_item(item), "ledger_amount": fmt(op.amount)})
        else:
            matched += 1
    reported = {i.operation_id for i in report} | around
    missing_at_provider = [
        {
            "operation_id": str(op.id),
            "kind": op.kind,
            "amount": fmt(op.amount),
            "completed_at": rfc3339(op.completed_at) if op.completed_at else "",
        }
        for op in completed
        if op.id not in reported
    ]
    run = ReconciliationRun(day, None, matched, missing_in_ledger, missing_at_provider, mismatch)
    async with rawsql.transaction(db) as conn:
        await provider_callbacks.save_run(conn, funding.name, run)
        stored = await provider_callbacks.get_run(conn, funding.name, day)
    assert stored is not None
    RECONCILIATION_DISCREPANCIES.labels(funding.name, day.isoformat()).set(
        len(missing_in_ledger) + len(missing_at_provider) + len(mismatch)
    )
    return stored


async def stored_or_run(db: Database, funding: FundingProvider, day: date) -> ReconciliationRun:
    """The stored result of `day`, run now if there is none yet (an admin asking for a day)."""
    async with rawsql.connection(db) as conn:
        run = await provider_callbacks.get_run(conn, funding.name, day)
    return run if run is not None else await reconcile(db, funding, day)


def run_body(run: ReconciliationRun) -> JsonObject:
    """`Reconciliation` of the contract."""
    return {
        "date": run.day.isoformat(),
        "matched": run.matched,
        "missing_in_ledger": run.missing_in_ledger,
        "missing_at_provider": run.missing_at_provider,
        "amount_mismatch": run.amount_mismatch,
        "ran_at": rfc3339(run.ran_at) if run.ran_at else None,
    }
