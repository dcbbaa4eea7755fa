"""Database URL forms for a raw asyncpg connection (a module of its own so that a process that
talks to PostgreSQL only through asyncpg, like the outbox relay, does not load SQLAlchemy)."""

from __future__ import annotations


def asyncpg_dsn(url: str) -> str:
    """The libpq form (`postgresql://...`) of a DATABASE_URL, which may name SQLAlchemy's driver
    (`postgresql+asyncpg://`) or use the `postgres://` alias; any other URL is returned as it is."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url
