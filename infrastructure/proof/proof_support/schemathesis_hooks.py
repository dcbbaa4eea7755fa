"""Schemathesis hooks for the proof suite's run (`SCHEMATHESIS_HOOKS=proof_support.schemathesis_hooks`).

Generated recipients and payers are random strings, so without help every positive transfer and
payment request ends at 404 `recipient_not_found` and nothing after it is reached: no ledger
write, no idempotent replay, no stateful link (a created request's accept/decline/cancel) with a
real id. Positive cases of those operations get a real second user and the caller's real PIN;
a new API client gets the caller's password (and PIN), else every one ends at 401 and its
DELETE link is never followed. Negative cases are left as generated, so the refusals are still
exercised.
"""

from __future__ import annotations

import os

import schemathesis
from schemathesis.core.parameters import ParameterLocation

PEER = os.environ.get("INSTAPAY_FUZZ_PEER", "")
PIN = os.environ.get("INSTAPAY_FUZZ_PIN", "")
PASSWORD = os.environ.get("INSTAPAY_FUZZ_PASSWORD", "")
CLIENTS = "/api/v1/auth/clients"
PARTY_FIELD = {"/api/v1/transfers": "recipient", "/api/v1/payment-requests": "payer"}
PIN_PATHS = (
    "/api/v1/transfers",
    "/api/v1/wallet/withdrawals",
    "/api/v1/payment-requests/{request_id}/accept",
    "/api/v1/transfers/{transfer_id}/refunds",
)


def _positive_body(case) -> bool:
    """Was the body drawn as valid? (A case can be negative in its headers only; its body is then
    still fair game, and a body drawn invalid must stay as it is.)"""
    meta = case.meta
    if meta is None:
        return False
    body = meta.components.get(ParameterLocation.BODY)
    mode = body.mode if body is not None else meta.generation.mode
    return mode is schemathesis.GenerationMode.POSITIVE


@schemathesis.hook
def map_case(context, case):  # schemathesis calls hooks by name with these two arguments
    if case.method.upper() != "POST" or not isinstance(case.body, dict) or not _positive_body(case):
        return case
    field = PARTY_FIELD.get(case.path)
    if field and PEER:
        case.body[field] = PEER
    if case.path in PIN_PATHS and PIN and "pin" in case.body:
        case.body["pin"] = PIN
    if case.path == CLIENTS and PASSWORD:
        case.body["password"] = PASSWORD
        if PIN:
            case.body["pin"] = PIN
    return case
