"""Turns an idempotent outcome into the HTTP answer (replays carry `Idempotent-Replayed: true`)."""

from fastapi.responses import JSONResponse

from instapay_common.errors import PROBLEM_JSON
from transaction_service.idempotency import Outcome


def outcome_response(outcome: Outcome) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    media_type = PROBLEM_JSON if outcome.status >= 400 else "application/json"
    return JSONResponse(outcome.body, status_code=outcome.status, headers=headers, media_type=media_type)
