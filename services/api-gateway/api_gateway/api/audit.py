"""`GET /api/v1/admin/audit`: the audit log of the whole platform, for admins.

Each audited service keeps its own hash chain in its own schema (instapay_common.audit) and
answers its rows at `/admin/audit` (not routed publicly; the service checks the admin's token
itself too). This route asks all of them in parallel, as the health route asks every `/readyz`,
and merges their pages newest first.

Order and paging: rows are ordered by (at, service, id), descending. The cursor is the last row's
(at, service, id); from it each service is asked for the rows strictly after it in that order,
which in its own (at, id) terms is: before (at, id) for the cursor's service, at <= cursor's `at`
for a service sorting before it, at < cursor's `at` for one sorting after. Each is asked for
`limit + 1` rows: when more than `limit` come back in all, there is a next page.

A service that does not answer fails the whole request (503/504), rather than a page with a
silent hole in the record.
"""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime
from typing import Annotated, Any

import aiohttp
from fastapi import APIRouter, Query, Request

from api_gateway.guard.access_control import PRINCIPAL_SCOPE_KEY
from api_gateway.proxy import raise_timeout, raise_unavailable
from instapay_common.audit.api import AuditEntry, AuditFilterDep, AuditPage
from instapay_common.audit.chain import AUDITED_SERVICES, BIGINT_MAX, rfc3339_micro
from instapay_common.errors import PROBLEM_RESPONSES, Forbidden, Unauthenticated, ValidationFailed
from instapay_common.security.scopes import ROLE_ADMIN
from instapay_common.security.tokens import Principal
from instapay_common.web.cursor import bigint, unpack, utc_timestamp
from instapay_common.web.request_context import current_request_id

router = APIRouter(tags=["admin"], responses=PROBLEM_RESPONSES)

Position = tuple[datetime, str, int]  # (at, service, id): the order rows are merged in


def _encode(entry: AuditEntry) -> str:
    return base64.urlsafe_b64encode(f"{entry.at}|{entry.service}|{entry.id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> Position:
    try:
        at, service, row_id = unpack(cursor).split("|")
        if service not in AUDITED_SERVICES:
            raise ValueError(service)
        return utc_timestamp(at), service, bigint(row_id)
    except ValueError as exc:
        raise ValidationFailed(
            "cursor is not valid; use next_cursor from the previous page",
            errors=[{"field": "cursor", "message": "invalid cursor"}],
        ) from exc


def _before(service: str, cursor: Position) -> dict[str, str]:
    """The service's own keyset position for the rows after `cursor` in the merged order."""
    at, cursor_service, row_id = cursor
    # At the same instant a service sorting before the cursor's comes after it (descending): all
    # of its rows at that instant are still to come (id < max); one sorting after: none (id < 0).
    others = BIGINT_MAX if service < cursor_service else 0
    before_id = row_id if service == cursor_service else others
    return {"before_at": rfc3339_micro(at), "before_id": str(before_id)}


def _admin(request: Request) -> Principal:
    principal: Principal | None = request.scope.get(PRINCIPAL_SCOPE_KEY)
    if principal is None:  # the guard authenticates this path (a "gateway" route): not reached
        raise Unauthenticated("Missing bearer token")
    if ROLE_ADMIN not in principal.roles or principal.is_api_client:
        raise Forbidden(f"this call needs the '{ROLE_ADMIN}' role")
    return principal


async def _ask(request: Request, service: str, params: dict[str, str]) -> list[AuditEntry]:
    url = request.app.state.route_table.upstreams[service] + "/admin/audit"
    headers = {"Authorization": request.headers["authorization"], "X-Request-ID": current_request_id() or ""}
    timeout = aiohttp.ClientTimeout(total=request.app.state.settings.upstream_timeout_seconds, connect=2.0)
    session: aiohttp.ClientSession = request.app.state.http
    try:
        async with session.get(url, params=params, headers=headers, timeout=timeout) as resp:
            body: Any = await resp.json(content_type=None)
            status = resp.status
    except TimeoutError:
        raise_timeout(service)
    except (aiohttp.ClientError, ValueError):
        raise_unavailable(service)
    if status == 401:  # revoked meanwhile: the service's word holds
        raise Unauthenticated("Invalid or expired access token")
    if status == 403:
        raise Forbidden(f"this call needs the '{ROLE_ADMIN}' role")
    if status != 200:
        raise_unavailable(service)
    return AuditPage.model_validate(body).items


@router.get(
    "/api/v1/admin/audit",
    response_model=AuditPage,
    summary="The audit log (admin): every service's rows, newest first",
)
async def audit_log(
    request: Request,
    filters: AuditFilterDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> AuditPage:
    """Sign-ins, password, PIN and API-client changes (auth), webhook endpoint changes
    (notification), admin actions and their approvals (transaction), newest first. Filters:
    `actor` (a user id or `system`), `subject`, `action` (itself and its dotted children:
    `wallet.freeze` finds `wallet.freeze.proposed`), `from`/`to` (a date or an RFC 3339
    timestamp; a date `to` is inclusive). Role `admin` only (403 otherwise)."""
    _admin(request)
    position = _decode(cursor) if cursor else None
    base: dict[str, str] = {k: v for k, v in request.query_params.items() if k not in ("limit", "cursor")}
    base["limit"] = str(limit + 1)
    pages = await asyncio.gather(
        *(_ask(request, s, {**base, **(_before(s, position) if position else {})}) for s in AUDITED_SERVICES)
    )
    merged = sorted(
        (e for page in pages for e in page), key=lambda e: (utc_timestamp(e.at), e.service, e.id), reverse=True
    )
    items = merged[:limit]
    more = len(merged) > limit
    return AuditPage(items=items, next_cursor=_encode(items[-1]) if more else None)
