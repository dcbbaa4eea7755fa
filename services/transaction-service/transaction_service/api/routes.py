"""All routers of the transaction service (the shared event-log feed is added in `main`)."""

from transaction_service.api import (
    admin,
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
    funding.router,
    internal.router,
]
