"""The audit log over HTTP: the bodies, the query both sides validate alike, and the admin route
each audited service mounts (`audit_router`).

The public `GET /api/v1/admin/audit` is the gateway's (api_gateway/api/audit.py): it checks the
admin role, asks every service in `AUDITED_SERVICES` for a page at `/admin/audit` (not routed by
the gateway, so not public; the service checks the admin's token again) and merges them by time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from instapay_common.audit import chain
from instapay_common.audit.chain import BIGINT_MAX, AuditFilter, AuditRow
from instapay_common.db import rawsql
from instapay_common.db.roles import SCHEMAS
from instapay_common.errors import ValidationFailed
from instapay_common.security.scopes import ROLE_ADMIN
from instapay_common.security.tokens import Principal, require_role
from instapay_common.web.deps import DbDep
from instapay_common.web.query_dates import IsoDateOrTimestamp, range_bound

# A page asks each service for one row more than it shows, to know whether there is more.
MAX_LIMIT = 100


class AuditEntry(BaseModel):
    service: str = Field(description="The service whose chain holds the row (auth, transaction, notification)")
    id: int = Field(description="The row's position in that service's chain")
    at: str = Field(description="RFC 3339, UTC, microseconds")
    actor: str = Field(description="A user id, or `system`")
    actor_role: str = Field(description="user, admin, api_client, anonymous, operator or system")
    action: str = Field(description="Dotted: `auth.sign_in`, `wallet.freeze.proposed`, ...")
    subject: str | None = Field(description="What it was done to: a user, an approval, an endpoint ...")
    details: dict[str, Any]
    ip: str | None
    request_id: str | None
    prev_hash: str = Field(description="The hash of the row before it in the chain")
    hash: str = Field(description="SHA-256 over the row's fields and prev_hash")


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None


def entry(service: str, row: AuditRow) -> AuditEntry:
    return AuditEntry(
        service=service,
        id=row.id,
        at=chain.rfc3339_micro(row.at),
        actor=row.actor,
        actor_role=row.actor_role,
        action=row.action,
        subject=row.subject,
        details=row.details,
        ip=row.ip,
        request_id=row.request_id,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


async def audit_filter(
    actor: Annotated[str | None, Query(max_length=64)] = None,
    subject: Annotated[str | None, Query(max_length=128)] = None,
    action: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9_.]+$")] = None,
    from_: Annotated[IsoDateOrTimestamp | None, Query(alias="from")] = None,
    to: IsoDateOrTimestamp | None = None,
) -> AuditFilter:
    """The filters of both sides (a date means the whole UTC day, `to` inclusive)."""
    start, end = range_bound(from_, end=False), range_bound(to, end=True)
    if start is not None and end is not None and start >= end:
        raise ValidationFailed(
            "`from` must be before `to`", errors=[{"field": "from", "message": "must be on or before `to`"}]
        )
    for name, value in (("actor", actor), ("subject", subject)):
        if value is not None and "\x00" in value:
            raise ValidationFailed(f"`{name}` holds a NUL", errors=[{"field": name, "message": "not text"}])
    return AuditFilter(actor=actor, subject=subject, action=action, start=start, end=end)


AuditFilterDep = Annotated[AuditFilter, Depends(audit_filter)]
Admin = Annotated[Principal, require_role(ROLE_ADMIN)]


@dataclass(frozen=True)
class ServicePageQuery:
    """The gateway's position in one service's chain: rows strictly before (at, id)."""

    before_at: datetime | None
    before_id: int
    limit: int


async def service_page_query(
    before_at: datetime | None = None,
    before_id: Annotated[int, Query(ge=0, le=BIGINT_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT + 1)] = 20,
) -> ServicePageQuery:
    return ServicePageQuery(before_at, before_id, limit)


def audit_router(service: str) -> APIRouter:
    """`GET /admin/audit`: this service's rows, newest first, for an admin (the gateway's fan-out)."""
    schema = SCHEMAS[service]
    router = APIRouter(prefix="/admin", include_in_schema=False)

    @router.get("/audit", response_model=AuditPage)
    async def audit_rows(
        _: Admin,
        db: DbDep,
        filters: AuditFilterDep,
        position: Annotated[ServicePageQuery, Depends(service_page_query)],
    ) -> AuditPage:
        before = (position.before_at, position.before_id) if position.before_at is not None else None
        async with rawsql.connection(db) as conn:
            rows = await chain.page(chain.RawRunner(conn), schema, filters, limit=position.limit, before=before)
        return AuditPage(items=[entry(service, r) for r in rows], next_cursor=None)

    return router
