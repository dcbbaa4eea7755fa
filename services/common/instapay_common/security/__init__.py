"""Security: access-token verification, internal service authentication and the scope names.

Nothing is re-exported: importing one module loads only what it needs."""
