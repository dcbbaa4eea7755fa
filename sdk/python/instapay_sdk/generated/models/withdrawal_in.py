from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bank_destination import BankDestination


T = TypeVar("T", bound="WithdrawalIn")


@_attrs_define
class WithdrawalIn:
    """
    Attributes:
        amount (float | str): Above zero, at most 2 fraction digits, at most 18 integer digits; a decimal string
            ("125.50") is preferred to a JSON number
        destination (BankDestination):
        currency (str | Unset):  Default: 'EGP'.
        pin (None | str | Unset):
    """

    amount: float | str
    destination: BankDestination
    currency: str | Unset = "EGP"
    pin: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        destination = self.destination.to_dict()

        currency = self.currency

        pin: None | str | Unset
        if isinstance(self.pin, Unset):
            pin = UNSET
        else:
            pin = self.pin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "destination": destination,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if pin is not UNSET:
            field_dict["pin"] = pin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bank_destination import BankDestination  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        destination = BankDestination.from_dict(d.pop("destination"))

        currency = d.pop("currency", UNSET)

        def _parse_pin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pin = _parse_pin(d.pop("pin", UNSET))

        withdrawal_in = cls(
            amount=amount,
            destination=destination,
            currency=currency,
            pin=pin,
        )

        return withdrawal_in
