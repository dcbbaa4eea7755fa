"""OWASP API10:2023 Unsafe Consumption of APIs: what we take from other APIs is validated before it
is trusted: the funding-provider adapter's answers, and events arriving at the subscribers."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import orjson
import pytest

from instapay_stack.testing import internal_headers
from transaction_service.exceptions import FundingProviderError
from transaction_service.funding.wire import read_charge, read_payout

OPERATION = uuid.UUID("0d2c2b4e-7e0c-4f5c-9a57-3a3f1f0e8a11")
GOOD_CHARGE = {
    "id": "ch_1",
    "object": "charge",
    "status": "succeeded",
    "amount": "10.00",
    "currency": "EGP",
    "idempotency_key": str(OPERATION),
    "metadata": {},
    "created": 1764700000,
}
BAD_ANSWERS = [
    None,
    "approved",
    [],
    {},
    {"status": "approved"},  # what a `invalid-` reference makes the simulator answer
    {**GOOD_CHARGE, "status": "APPROVED"},
    {**GOOD_CHARGE, "id": ""},
    {**GOOD_CHARGE, "id": 12345},
    {**GOOD_CHARGE, "amount": "1e309"},
    {**GOOD_CHARGE, "amount": "-10.00"},
    {**GOOD_CHARGE, "amount": "10.001"},
    {**GOOD_CHARGE, "amount": "11.00"},  # another amount than we asked for
    {**GOOD_CHARGE, "idempotency_key": str(uuid.uuid4())},  # another operation's answer
    {**GOOD_CHARGE, "status": "failed", "failure_reason": None},
]


@pytest.mark.parametrize("answer", BAD_ANSWERS)
def test_malformed_provider_answers_are_refused(answer):
    """Nothing a provider answers is trusted before it is checked: a malformed, mismatched or
    foreign answer is a provider error (the operation stays unknown), never a capture."""
    raw = orjson.dumps(answer)
    with pytest.raises(FundingProviderError):
        read_charge(raw, operation_id=OPERATION, amount=Decimal("10.00"))
    with pytest.raises(FundingProviderError):
        read_payout(raw, operation_id=OPERATION, amount=Decimal("10.00"))


def test_declines_are_declines_and_a_good_answer_is_read_exactly():
    charge = read_charge(orjson.dumps(GOOD_CHARGE), operation_id=OPERATION, amount=Decimal("10.00"))
    assert (charge.provider_id, charge.status, charge.amount) == ("ch_1", "succeeded", Decimal("10.00"))
    declined = {**GOOD_CHARGE, "status": "failed", "failure_reason": "card declined by issuer"}
    charge = read_charge(orjson.dumps(declined), operation_id=OPERATION, amount=Decimal("10.00"))
    assert (charge.status, charge.reason) == ("failed", "card declined by issuer")


@pytest.mark.parametrize("subscriber", ["reporting", "notification"])
def test_subscribers_refuse_malformed_events(proof_stack, subscriber):
    url = proof_stack.url_of(subscriber) + "/internal/events"
    headers = internal_headers("relay", proof_stack.env)  # the subscribers' only caller
    bad_events = [
        {},
        {
            "id": "not-a-uuid",
            "type": "transfer.completed",
            "occurred_at": "2026-11-25T10:00:00Z",
            "source": "transaction-service",
            "data": {},
        },
        {
            "id": str(uuid.uuid4()),
            "type": "transfer.completed",
            "occurred_at": "yesterday",
            "source": "transaction-service",
            "data": {"amount": "1e309"},
        },
        {
            "id": str(uuid.uuid4()),
            "type": "transfer.completed",
            "occurred_at": "2026-11-25T10:00:00Z",
            "source": "transaction-service",
            "data": {"transfer_id": str(uuid.uuid4()), "amount": "NaN"},
        },
    ]
    for event in bad_events:
        resp = httpx.post(url, json=event, headers=headers, timeout=10)
        assert 400 <= resp.status_code < 500, f"{subscriber} {event}: {resp.status_code} {resp.text}"
    # Without the internal token nothing is consumed at all.
    resp = httpx.post(url, json=bad_events[1], timeout=10)
    assert resp.status_code in (401, 403), resp.status_code
