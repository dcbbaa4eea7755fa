"""All routers of the transaction service (the shared event-log feed is added in `main`)."""

from instapay_common.audit.api import audit_router
from transaction_service.api import (
    admin,
    approvals,
    disputes,
    favourites,
    funding,
    internal,
    payment_links,
    payment_requests,
    schedules,
    transactions,
    transfers,
    wallet,
)

routers = [
    wallet.router,
    transfers.router,
    disputes.router,
    transactions.router,
    payment_requests.router,
    payment_links.router,
    favourites.router,
    schedules.router,
    admin.router,
    approvals.router,
    # its audit rows, for the gateway's GET /api/v1/admin/audit
    audit_router("transaction"),
    funding.router,
    internal.router,
]
