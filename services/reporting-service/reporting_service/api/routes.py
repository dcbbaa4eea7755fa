"""Public routes: the caller's summary and statement, the admin platform overview."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.query_dates import IsoDate
from reporting_service import reports, summary
from reporting_service.api.deps import Admin, ReadSessionDep, ReportReader, SessionDep
from reporting_service.periods import MAX_DAYS, Granularity, resolve_range
from reporting_service.statement_csv import filename, render_csv

# Errors are problem+json (documented so clients and schemathesis expect that content type).
router = APIRouter(tags=["reports"], responses=PROBLEM_RESPONSES)

FromDate = Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD (UTC day), inclusive")]
ToDate = Annotated[IsoDate | None, Query(alias="to", description="YYYY-MM-DD (UTC day), inclusive; default today")]


# The body is written by summary.py (a lean path: JSON assembled from the database's text); the
# documented response stays a JSON object.
@router.get(
    "/api/v1/reports/summary",
    summary="Money in and out over a date range, with a series",
    response_model=dict[str, Any],
)
async def get_summary(
    principal: ReportReader,
    session: ReadSessionDep,
    start: FromDate = None,
    end: ToDate = None,
    granularity: Granularity = Granularity.day,
) -> Response:
    first, last = resolve_range(start, end, default_days=30, max_days=MAX_DAYS[granularity.value])
    body = await summary.summary(
        session, user_id=uuid.UUID(principal.user_id), start=first, end=last, granularity=granularity
    )
    return Response(body, media_type="application/json")


@router.get(
    "/api/v1/reports/statement",
    summary="Statement with opening and closing balance (JSON or CSV)",
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
async def get_statement(
    principal: ReportReader,
    session: SessionDep,
    start: FromDate = None,
    end: ToDate = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    first, last = resolve_range(start, end, default_days=30, max_days=366)
    result = await reports.statement(session, user_id=uuid.UUID(principal.user_id), start=first, end=last)
    if format == "csv":
        return Response(
            render_csv(result).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename(result)}"'},
        )
    return result


@router.get("/api/v1/admin/reports/overview", summary="Platform totals per day (admin)")
async def get_overview(
    _admin: Admin, session: SessionDep, start: FromDate = None, end: ToDate = None
) -> dict[str, Any]:
    first, last = resolve_range(start, end, default_days=30, max_days=366)
    return await reports.overview(session, start=first, end=last)
