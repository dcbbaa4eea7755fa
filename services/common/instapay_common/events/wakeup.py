"""The LISTEN/NOTIFY channel that wakes an emitting service's outbox relays (a module of its own
so that both sides import it cheaply: the relay process does not load SQLAlchemy)."""


def wakeup_channel(schema: str | None) -> str:
    return f"outbox_{schema or 'public'}"
