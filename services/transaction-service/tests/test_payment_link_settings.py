"""The payment-link signing key: development has a default; production refuses it, a short or
placeholder one, and none at all, naming the setting (like every other secret)."""

import secrets

import pytest

from transaction_service.config import TransactionSettings


def _production(**overrides: object) -> TransactionSettings:
    return TransactionSettings(
        environment="production",
        **{f"internal_secret_{c}": secrets.token_urlsafe(36) for c in TransactionSettings.internal_peers},
        internal_secret_transaction=secrets.token_urlsafe(36),
        funding_provider="http",
        funding_api_key="k",
        funding_webhook_secrets="a",
        **overrides,
    )


def test_production_refuses_a_default_weak_or_missing_link_key():
    assert TransactionSettings(environment="development").payment_link_secrets  # works out of the box
    with pytest.raises(ValueError, match="PAYMENT_LINK_SECRETS"):
        _production()  # the development default
    with pytest.raises(ValueError, match="PAYMENT_LINK_SECRETS"):
        _production(payment_link_secrets="short")
    with pytest.raises(ValueError, match="PAYMENT_LINK_SECRETS"):
        _production(payment_link_secrets="replace-with-a-random-32-byte-secret")
    with pytest.raises(ValueError, match="PAYMENT_LINK_SECRETS"):
        _production(payment_link_secrets="")
    new, old = secrets.token_urlsafe(36), secrets.token_urlsafe(36)
    rotated = _production(payment_link_secrets=f"{new}, {old}")
    assert [s.get_secret_value() for s in rotated.payment_link_secrets] == [new, old]
