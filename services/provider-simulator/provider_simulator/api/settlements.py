"""The daily settlement report: GET /v1/settlements/{YYYY-MM-DD}."""

from datetime import date

from fastapi import APIRouter, Depends

from provider_simulator.api.deps import DbDep, api_client
from provider_simulator.exceptions import InvalidDate
from provider_simulator.schemas import SettlementItem, SettlementReport
from provider_simulator.service import operations
from provider_simulator.service.wire import money

router = APIRouter(prefix="/v1/settlements", tags=["settlements"], dependencies=[Depends(api_client)])


@router.get("/{day}", response_model=SettlementReport)
async def settlement(day: str, db: DbDep) -> SettlementReport:
    """Charges that succeeded and payouts that were paid on that UTC day."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise InvalidDate(f"{day!r} is not a date (YYYY-MM-DD)") from None
    if len(day) != 10:
        raise InvalidDate(f"{day!r} is not a date (YYYY-MM-DD)")
    rows = await operations.settled_on(db, day=parsed)
    items = [
        SettlementItem(
            kind="charge" if row.kind == "charge" else "payout",
            id=row.id,
            idempotency_key=row.idempotency_key,
            amount=money(row.amount) or "0.00",
            currency=row.currency or "EGP",
            settled_at=row.settled_at or row.created_at,
        )
        for row in rows
    ]
    return SettlementReport(date=parsed, items=items)
