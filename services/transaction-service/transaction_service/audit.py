"""The transaction service's audit chain (`ledger.audit_log`, instapay_common.audit): admin
actions under two-person control (proposed, approved, rejected), each row written in the
transaction of what it records."""

from __future__ import annotations

import uuid
from typing import Any

from instapay_common.audit.chain import Actor, append_raw
from instapay_common.db.rawsql import RawConnection

SCHEMA = "ledger"


def admin(user_id: uuid.UUID) -> Actor:
    return Actor(str(user_id), "admin")


async def record(conn: RawConnection, action: str, *, by: uuid.UUID, subject: object, **details: Any) -> None:
    """A row by the admin `by` (every action audited here is an admin's)."""
    await append_raw(conn, SCHEMA, action, actor=admin(by), subject=subject, details=details)
