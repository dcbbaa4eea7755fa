"""All routers of the transaction service."""

from transaction_service.api import internal

routers = [internal.router]
