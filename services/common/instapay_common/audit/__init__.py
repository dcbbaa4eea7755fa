"""Tamper-evident audit log: one hash chain per service schema (`<schema>.audit_log`).

- `chain`: the table, the append (in the caller's transaction, SQLAlchemy session or raw asyncpg
  connection alike), the read for the admin route, and verification.
- `routes`: the admin route every audited service mounts (the gateway fans out to them).
- `migration`: what a service's migration calls to create the table.
- `python -m instapay_common.audit verify [--service auth]`: walks the chains, reports the first
  broken row.

Nothing is re-exported: importing one module loads only what it needs."""
