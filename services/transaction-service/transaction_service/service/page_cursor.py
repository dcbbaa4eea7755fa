"""The opaque cursor of the transaction service's newest-first lists that are ordered by
(a timestamp, id): payment requests and links, disputes, schedules, approvals. One encoding, and
one 422 for a cursor that is not one of ours."""

import base64
import uuid
from datetime import datetime

from instapay_common.web.cursor import unpack, utc_timestamp
from transaction_service.exceptions import InvalidCursor


def encode(at: datetime, row_id: uuid.UUID) -> str:
    """The position after the row (its time and id): what `next_cursor` carries."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (time, id) a cursor written by `encode` holds; 422 `validation_error` for anything else."""
    try:
        at, _, row_id = unpack(cursor).partition("|")
        return utc_timestamp(at), uuid.UUID(row_id)
    except ValueError as exc:
        raise InvalidCursor(
            "cursor is not valid; use next_cursor from the previous page",
            extra={"errors": [{"field": "cursor", "message": "invalid cursor"}]},
        ) from exc
