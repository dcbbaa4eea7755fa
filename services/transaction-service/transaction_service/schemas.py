"""Request bodies of the public API (unknown fields are refused, never silently ignored)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from instapay_common.text import PlainText
from transaction_service.money import Amount


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransferIn(Strict):
    recipient: PlainText = Field(min_length=1, max_length=320)
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    note: PlainText | None = None
    pin: PlainText | None = Field(default=None, max_length=32)


class FundingSource(Strict):
    type: Literal["card", "bank"]
    reference: PlainText = Field(min_length=1, max_length=128)


class BankDestination(Strict):
    type: Literal["bank"]
    reference: PlainText = Field(min_length=1, max_length=128)


class TopupIn(Strict):
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    source: FundingSource


class WithdrawalIn(Strict):
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    destination: BankDestination
    pin: PlainText | None = Field(default=None, max_length=32)


class PaymentRequestIn(Strict):
    payer: PlainText = Field(min_length=1, max_length=320)
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    note: PlainText | None = None


class AcceptIn(Strict):
    pin: PlainText | None = Field(default=None, max_length=32)


class FreezeIn(Strict):
    reason: PlainText = Field(min_length=1, max_length=500)
