"""Request bodies of the public API (unknown fields are refused, never silently ignored)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from transaction_service.money import Amount


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransferIn(Strict):
    recipient: str = Field(min_length=1, max_length=320)
    amount: Amount
    currency: str = Field(default="EGP", min_length=1, max_length=8)
    note: str | None = None
    pin: str | None = Field(default=None, max_length=32)


class FundingSource(Strict):
    type: Literal["card", "bank"]
    reference: str = Field(min_length=1, max_length=128)


class BankDestination(Strict):
    type: Literal["bank"]
    reference: str = Field(min_length=1, max_length=128)


class TopupIn(Strict):
    amount: Amount
    currency: str = Field(default="EGP", min_length=1, max_length=8)
    source: FundingSource


class WithdrawalIn(Strict):
    amount: Amount
    currency: str = Field(default="EGP", min_length=1, max_length=8)
    destination: BankDestination
    pin: str | None = Field(default=None, max_length=32)


class PaymentRequestIn(Strict):
    payer: str = Field(min_length=1, max_length=320)
    amount: Amount
    currency: str = Field(default="EGP", min_length=1, max_length=8)
    note: str | None = None


class AcceptIn(Strict):
    pin: str | None = Field(default=None, max_length=32)


class FreezeIn(Strict):
    reason: str = Field(min_length=1, max_length=500)
