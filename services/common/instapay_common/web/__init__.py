"""HTTP side of a service: the app factory, middleware, health, metrics, the service-to-service
client and request-parsing helpers.

Nothing is re-exported: importing one module loads only what it needs."""
