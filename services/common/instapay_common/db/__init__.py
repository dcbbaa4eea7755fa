"""Database access: the SQLAlchemy engine and sessions, the raw asyncpg layer, migrations and their metrics.

Nothing is re-exported: importing one module loads only what it needs."""
