"""Checks on valid-looking input that need configuration (answered 422 validation_error)."""

from decimal import Decimal

from instapay_common.errors import ValidationFailed
from instapay_common.security.tokens import Principal
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import CurrencyNotSupported

SUPPORTED_CURRENCIES = frozenset({"EGP"})


def check_amount(amount: Decimal, settings: TransactionSettings) -> None:
    if amount > settings.limit_per_transaction:
        raise ValidationFailed(
            f"amount is above the per-transaction maximum of {settings.limit_per_transaction}",
            errors=[{"field": "amount", "message": f"must not exceed {settings.limit_per_transaction}"}],
        )


def check_currency(currency: str) -> None:
    if currency.upper() not in SUPPORTED_CURRENCIES:
        raise CurrencyNotSupported(f"only {', '.join(sorted(SUPPORTED_CURRENCIES))} is supported")


def clean_note(note: str | None, settings: TransactionSettings) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > settings.note_max_length or any(ord(c) < 32 and c not in "\n\t" for c in note):
        raise ValidationFailed(
            "note is too long or holds control characters",
            errors=[{"field": "note", "message": f"at most {settings.note_max_length} printable characters"}],
        )
    return note or None


def needs_pin(principal: Principal, pin: str | None) -> str | None:
    """The PIN to verify for a user's own token; API-client tokens need none (scope suffices)."""
    if principal.is_api_client:
        return None
    if not pin:
        raise ValidationFailed("pin is required", errors=[{"field": "pin", "message": "field required"}])
    return pin
