"""Checks of a money request: its input against the configuration (422 `validation_error` or
`currency_not_supported`), and a wallet's state, limits and funds under its row lock (declines)."""

import asyncio
import uuid
from decimal import Decimal
from typing import Literal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.errors import ValidationFailed
from instapay_common.security.tokens import Principal
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import (
    AccountFrozen,
    CurrencyNotSupported,
    InsufficientFunds,
    LimitExceeded,
    PhoneNotVerified,
    RecipientNotFound,
    WalletNotFound,
)
from transaction_service.parties import PartyRef
from transaction_service.peers import Peers
from transaction_service.repository import accounts
from transaction_service.repository.accounts import Wallet
from transaction_service.repository.ledger import SpentCounters
from transaction_service.service.limits import effective_limits, spent_so_far

SUPPORTED_CURRENCIES = frozenset({"EGP"})


def check_amount(amount: Decimal, settings: TransactionSettings, per_transaction: Decimal | None = None) -> None:
    """422 `validation_error` above the per-transaction maximum: the sender's own
    (`per_transaction`, their wallet's effective limit) when known, else the default."""
    maximum = settings.limit_per_transaction if per_transaction is None else per_transaction
    if amount > maximum:
        raise ValidationFailed(
            f"amount is above the per-transaction maximum of {maximum}",
            errors=[{"field": "amount", "message": f"must not exceed {maximum}"}],
        )


def own_per_transaction(own: Wallet | None, settings: TransactionSettings) -> Decimal | None:
    """The effective per-transaction limit of the user's wallet `own` (read without a lock for the
    input check; None: no wallet, the operation declines later)."""
    return None if own is None else effective_limits(own, settings).per_transaction


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


async def pin_and_parties(
    peers: Peers, principal: Principal, pin: str | None, address: str
) -> tuple[PartyRef, PartyRef]:
    """(recipient, sender) for money the caller sends to `address`, with their PIN checked (a
    user's own token). The PIN check and the lookup run side by side; a PIN refusal is raised
    before a lookup error, so a wrong PIN never tells whether the recipient exists."""
    checked = needs_pin(principal, pin)
    pin_check = peers.verify_pin(user_id=principal.user_id, pin=checked) if checked is not None else asyncio.sleep(0)
    pin_result, lookup = await asyncio.gather(
        pin_check, peers.parties(address, principal.user_id), return_exceptions=True
    )
    if isinstance(pin_result, BaseException):
        raise pin_result
    if isinstance(lookup, BaseException):
        raise lookup
    return lookup


_FROZEN_DETAIL = {
    "own": "Your wallet is frozen; contact support",
    "recipient": "The recipient's wallet is frozen; they cannot receive money now",
}


def ensure_active(wallet: Wallet, whose: Literal["own", "recipient"]) -> None:
    """423 `account_frozen`; the problem's `frozen_wallet` member says whose wallet it is, so a
    client tells "yours" from "the recipient's" without reading the English detail."""
    if wallet.status != "active":
        raise AccountFrozen(_FROZEN_DETAIL[whose], extra={"frozen_wallet": whose})


def ensure_phone_verified(wallet: Wallet) -> None:
    """The owner's own money operations wait for a verified phone (403 `phone_not_verified`)."""
    if not wallet.phone_verified:
        raise PhoneNotVerified("verify your phone number first (POST /api/v1/auth/verify/phone/send)")


async def require_verified_sender(db: Database, user_id: uuid.UUID) -> None:
    """Before anything else of a money operation (the PIN, a recipient lookup): an account whose
    phone is not verified gets 403 `phone_not_verified` and learns nothing of other accounts.
    Checked again under the wallet lock by the operation itself."""
    async with rawsql.connection(db) as conn:
        own = await accounts.get(conn, user_id)
    ensure_verified_sender(own)


def ensure_verified_sender(own: Wallet | None) -> None:
    """`require_verified_sender` on the sender's wallet already read (None: no wallet)."""
    if own is None:
        raise WalletNotFound("you have no wallet")
    ensure_phone_verified(own)


def ensure_recipient_verified(wallet: Wallet) -> None:
    """An account whose phone is not verified is no recipient, as the user service's lookup says;
    checked again under the lock in case the lookup was answered from an older state."""
    if not wallet.phone_verified:
        raise RecipientNotFound("no user with that handle, phone or e-mail")


def check_outgoing(wallet: Wallet, amount: Decimal, settings: TransactionSettings) -> SpentCounters:
    """Limits (the wallet's effective ones) and funds for money leaving a locked wallet; returns its
    counters after the movement. The per-transaction limit was checked before the lock
    (`check_amount`); it is checked again here because an override may have been lowered since."""
    spent = spent_so_far(wallet, settings)
    limits = effective_limits(wallet, settings)
    if amount > limits.per_transaction:
        raise LimitExceeded(f"per-transaction limit of {limits.per_transaction} EGP would be exceeded")
    if spent.day + amount > limits.daily:
        raise LimitExceeded(f"daily limit of {limits.daily} EGP would be exceeded")
    if spent.month + amount > limits.monthly:
        raise LimitExceeded(f"monthly limit of {limits.monthly} EGP would be exceeded")
    if wallet.available < amount:
        raise InsufficientFunds("the wallet's available balance is too low for this amount")
    return SpentCounters(
        day=spent.day + amount, day_date=spent.today, month=spent.month + amount, month_start=spent.month_start
    )
