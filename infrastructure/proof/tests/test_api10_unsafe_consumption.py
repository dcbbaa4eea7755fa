"""OWASP API10:2023 Unsafe Consumption of APIs: what we take from other APIs is validated before it
is trusted: the funding-provider adapter's answers, and events arriving at the subscribers."""

from __future__ import annotations

import uuid

import httpx
import pytest

from instapay_stack.testing import internal_headers
from transaction_service.exceptions import FundingDeclined, FundingProviderError
from transaction_service.funding_provider import validate_answer

BAD_ANSWERS = [
    None,
    "approved",
    [],
    {},
    {"status": "APPROVED", "provider_reference": "r"},
    {"status": "approved"},
    {"status": "approved", "provider_reference": ""},
    {"status": "approved", "provider_reference": 12345},
    {"status": "approved", "provider_reference": "r" * 129},
    {"status": "maybe", "provider_reference": "r"},
]


@pytest.mark.parametrize("answer", BAD_ANSWERS)
def test_malformed_provider_answers_are_refused(answer):
    with pytest.raises(FundingProviderError):
        validate_answer(answer)


def test_declines_are_declines_and_long_reasons_are_cut():
    with pytest.raises(FundingDeclined) as exc:
        validate_answer({"status": "declined", "reason": "x" * 10_000})
    assert len(str(exc.value)) < 200
    with pytest.raises(FundingDeclined):
        validate_answer({"status": "declined", "reason": {"html": "<script>"}})
    assert validate_answer({"status": "approved", "provider_reference": "psp-1"}).provider_reference == "psp-1"


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
