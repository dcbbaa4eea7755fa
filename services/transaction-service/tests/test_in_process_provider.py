"""InProcessFundingProvider: the in-memory provider the service's unit tests use behaves like the
simulator, and its callbacks verify like real ones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from transaction_service.exceptions import FundingProviderError, InvalidSignature
from transaction_service.funding.in_process import InProcessFundingProvider


@pytest.fixture
def provider() -> InProcessFundingProvider:
    return InProcessFundingProvider(secret=b"unit-test-secret")


async def _charge(provider, op, *, source="card", reference="tok", amount="10.00"):
    return await provider.charge(
        operation_id=op,
        source_type=source,
        reference=reference,
        amount=Decimal(amount),
        currency="EGP",
        metadata={"user_id": "u"},
    )


async def test_card_succeeds_bank_waits_for_its_callback(provider):
    card, bank = uuid.uuid4(), uuid.uuid4()
    assert (await _charge(provider, card)).status == "succeeded"
    pending = await _charge(provider, bank, source="bank")
    assert pending.status == "pending"
    assert (await _charge(provider, bank, source="bank")).provider_id == pending.provider_id
    headers, body = provider.callback(bank, "charge.succeeded")
    event = provider.parse_callback(headers, body)
    assert (event.type, event.operation_id, event.amount, event.provider_id) == (
        "charge.succeeded",
        bank,
        Decimal("10.00"),
        pending.provider_id,
    )
    assert dict(event.metadata) == {"user_id": "u"}
    assert (await provider.charge_status(bank)).status == "succeeded"
    settled = {i.operation_id for i in await provider.settlement(datetime.now(UTC).date())}
    assert {card, bank} <= settled


async def test_reference_prefixes(provider):
    for reference in ("error-1", "invalid-1"):
        op = uuid.uuid4()
        with pytest.raises(FundingProviderError):
            await _charge(provider, op, reference=reference)
        assert await provider.charge_status(op) is None
    declined = await _charge(provider, uuid.uuid4(), reference="fail-1")
    assert (declined.status, declined.reason) == ("failed", "card declined by issuer")
    op = uuid.uuid4()
    await provider.payout(operation_id=op, reference="fail-acct", amount=Decimal("3.00"), currency="EGP", metadata={})
    event = provider.parse_callback(*provider.callback(op, "payout.failed"))
    assert (event.type, event.reason) == ("payout.failed", "the bank refused the account")


async def test_a_different_request_under_the_same_operation_raises(provider):
    op = uuid.uuid4()
    await _charge(provider, op)
    with pytest.raises(FundingProviderError):
        await _charge(provider, op, amount="11.00")


async def test_payouts_cancel_and_callbacks(provider):
    op = uuid.uuid4()
    payout = await provider.payout(
        operation_id=op, reference="iban", amount=Decimal("7.00"), currency="EGP", metadata={}
    )
    assert payout.status == "pending"
    canceled = await provider.cancel_payout(op)
    assert (canceled.status, canceled.reason) == ("failed", "canceled")
    with pytest.raises(ValueError, match="would not announce"):
        provider.callback(op, "payout.paid")

    paid = uuid.uuid4()
    await provider.payout(operation_id=paid, reference="iban", amount=Decimal("8.00"), currency="EGP", metadata={})
    headers, body = provider.callback(paid, "payout.paid")
    assert provider.parse_callback(headers, body).type == "payout.paid"
    assert (await provider.cancel_payout(paid)).status == "paid"

    tombstone = uuid.uuid4()
    assert (await provider.cancel_payout(tombstone)).reason == "canceled"
    late = await provider.payout(
        operation_id=tombstone, reference="iban", amount=Decimal("9.00"), currency="EGP", metadata={}
    )
    assert (late.status, late.reason) == ("failed", "canceled")


async def test_its_callbacks_are_refused_under_another_secret(provider):
    op = uuid.uuid4()
    await _charge(provider, op)
    headers, body = provider.callback(op, "charge.succeeded")
    with pytest.raises(InvalidSignature):
        InProcessFundingProvider(secret=b"other").parse_callback(headers, body)
    with pytest.raises(InvalidSignature):
        provider.parse_callback({}, body)
