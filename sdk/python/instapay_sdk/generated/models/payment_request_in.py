from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentRequestIn")


@_attrs_define
class PaymentRequestIn:
    """
    Attributes:
        amount (float | str): Above zero, at most 2 fraction digits, at most 18 integer digits; a decimal string
            ("125.50") is preferred to a JSON number
        payer (str):
        currency (str | Unset):  Default: 'EGP'.
        note (None | str | Unset):
    """

    amount: float | str
    payer: str
    currency: str | Unset = "EGP"
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        payer = self.payer

        currency = self.currency

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "payer": payer,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        payer = d.pop("payer")

        currency = d.pop("currency", UNSET)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        payment_request_in = cls(
            amount=amount,
            payer=payer,
            currency=currency,
            note=note,
        )

        return payment_request_in
