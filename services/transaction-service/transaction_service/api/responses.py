"""Turns an idempotent outcome into the HTTP answer (replays carry `Idempotent-Replayed: true`)."""

import orjson
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_JSON
from transaction_service.idempotency import Outcome


def outcome_response(outcome: Outcome) -> Response:
    """Keys sorted: the stored answer comes back from JSONB in another key order, and a replay must
    be byte-for-byte the original answer."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    media_type = PROBLEM_JSON if outcome.status >= 400 else "application/json"
    return Response(orjson.dumps(outcome.body, option=orjson.OPT_SORT_KEYS), status_code=outcome.status,
                    headers=headers, media_type=media_type)
