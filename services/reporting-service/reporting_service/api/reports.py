"""Public routes: the caller's summary and statement, the admin platform overview."""

import asyncio
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.language import DocumentLanguageName, document_language
from instapay_common.web.query_dates import IsoDate
from reporting_service import service, statement_pdf
from reporting_service.api.deps import Admin, ReadSessionDep, ReportReader, SessionDep
from reporting_service.periods import MAX_DAYS, Granularity, resolve_range
from reporting_service.schemas import Overview, Statement, Summary
from reporting_service.statement_csv import filename, render_csv

# Errors are problem+json (documented so clients and schemathesis expect that content type).
router = APIRouter(tags=["reports"], responses=PROBLEM_RESPONSES)

FromDate = Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD (UTC day), inclusive")]
ToDate = Annotated[IsoDate | None, Query(alias="to", description="YYYY-MM-DD (UTC day), inclusive; default today")]


# The body is a `Summary` serialised by service.summary (JSON assembled from the database's text,
# no per-row work in Python), so it is documented rather than validated.
@router.get(
    "/api/v1/reports/summary",
    summary="Money in and out over a date range, with a series",
    responses={200: {"model": Summary}},
)
async def get_summary(
    principal: ReportReader,
    session: ReadSessionDep,
    start: FromDate = None,
    end: ToDate = None,
    granularity: Granularity = Granularity.day,
) -> Response:
    first, last = resolve_range(start, end, default_days=30, max_days=MAX_DAYS[granularity.value])
    body = await service.summary(
        session, user_id=uuid.UUID(principal.user_id), start=first, end=last, granularity=granularity
    )
    return Response(body, media_type="application/json")


@router.get(
    "/api/v1/reports/statement",
    summary="Statement with opening and closing balance (JSON, CSV or PDF)",
    response_model=Statement,
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/csv": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def get_statement(
    principal: ReportReader,
    session: SessionDep,
    start: FromDate = None,
    end: ToDate = None,
    format: Literal["json", "csv", "pdf"] = "json",
    language: Annotated[DocumentLanguageName, Depends(document_language)] = "en",
) -> Statement | Response:
    """The PDF is in `lang` (en or ar), else the Accept-Language's language, else English."""
    first, last = resolve_range(start, end, default_days=30, max_days=366)
    result = await service.statement(session, user_id=uuid.UUID(principal.user_id), start=first, end=last)
    if format == "csv":
        return Response(
            render_csv(result).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename(result)}"'},
        )
    if format == "pdf":
        # Drawing and shaping take CPU time that grows with the rows: off the event loop.
        body = await asyncio.to_thread(statement_pdf.render_pdf, result, language)
        return Response(
            body,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{statement_pdf.filename(result)}"'},
        )
    return result


@router.get("/api/v1/admin/reports/overview", summary="Platform totals per day (admin)", response_model=Overview)
async def get_overview(_admin: Admin, session: SessionDep, start: FromDate = None, end: ToDate = None) -> Overview:
    first, last = resolve_range(start, end, default_days=30, max_days=366)
    return await service.overview(session, start=first, end=last)
