from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.counterparty import Counterparty


T = TypeVar("T", bound="TransferData")


@_attrs_define
class TransferData:
    """
    Attributes:
        amount (str): Decimal string
        balance_after (None | str): The receiving user's balance after the transfer
        counterparty (Counterparty):
        created_at (datetime.datetime):
        currency (str):
        payment_request_id (None | str):
        transfer_id (UUID):
    """

    amount: str
    balance_after: None | str
    counterparty: Counterparty
    created_at: datetime.datetime
    currency: str
    payment_request_id: None | str
    transfer_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        balance_after: None | str
        balance_after = self.balance_after

        counterparty = self.counterparty.to_dict()

        created_at = self.created_at.isoformat()

        currency = self.currency

        payment_request_id: None | str
        payment_request_id = self.payment_request_id

        transfer_id = str(self.transfer_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "balance_after": balance_after,
                "counterparty": counterparty,
                "created_at": created_at,
                "currency": currency,
                "payment_request_id": payment_request_id,
                "transfer_id": transfer_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.counterparty import Counterparty  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_balance_after(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        balance_after = _parse_balance_after(d.pop("balance_after"))

        counterparty = Counterparty.from_dict(d.pop("counterparty"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        def _parse_payment_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payment_request_id = _parse_payment_request_id(d.pop("payment_request_id"))

        transfer_id = UUID(d.pop("transfer_id"))

        transfer_data = cls(
            amount=amount,
            balance_after=balance_after,
            counterparty=counterparty,
            created_at=created_at,
            currency=currency,
            payment_request_id=payment_request_id,
            transfer_id=transfer_id,
        )

        transfer_data.additional_properties = d
        return transfer_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
