"""How the routes answer and document their answers: stored outcomes as byte-for-byte replayable
bytes (replays carry `Idempotent-Replayed: true`), success models and the money routes' own
error statuses for the OpenAPI."""

from typing import Any

import orjson
from fastapi.responses import Response
from pydantic import BaseModel

from instapay_common.errors import PROBLEM_JSON, problem_doc
from transaction_service.service.idempotency import Outcome

# Errors of the money routes beyond the shared ones (instapay_common.errors.PROBLEM_RESPONSES), in
# the same problem+json shape: an undocumented status is one that generated clients and
# schemathesis treat as unexpected.
_MONEY_PROBLEMS = {
    423: "Locked: the PIN after 5 wrong ones (`pin_locked`, with Retry-After) or a frozen wallet (`account_frozen`)",
    502: "The funding provider failed (`funding_provider_error`); nothing was moved, retry later",
    410: "Gone: the payment link has expired (`payment_link_expired`)",
}


def money_problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for some of the money routes' own error statuses."""
    return {s: problem_doc(_MONEY_PROBLEMS[s]) for s in statuses}


def outcome_response(outcome: Outcome) -> Response:
    """Keys sorted: the stored answer comes back from JSONB in another key order, and a replay must
    be byte-for-byte the original answer."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    media_type = PROBLEM_JSON if outcome.status >= 400 else "application/json"
    return Response(
        orjson.dumps(outcome.body, option=orjson.OPT_SORT_KEYS),
        status_code=outcome.status,
        headers=headers,
        media_type=media_type,
    )


def documented(status: int, model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` entry: `model` (from `schemas`) documents the body; the route keeps
    `response_model=None`, so its answer is neither validated nor filtered."""
    return {status: {"model": model, "description": description}}
