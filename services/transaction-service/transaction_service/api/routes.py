"""All routers of the transaction service."""

from transaction_service.api import admin, internal, payment_requests, transfers, wallet

routers = [wallet.router, transfers.router, payment_requests.router, admin.router, internal.router]
