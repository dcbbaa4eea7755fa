from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RefundData")


@_attrs_define
class RefundData:
    """
    Attributes:
        amount (str): Decimal string
        created_at (datetime.datetime):
        currency (str):
        refund_id (UUID):
        transfer_id (UUID):
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    refund_id: UUID
    transfer_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        refund_id = str(self.refund_id)

        transfer_id = str(self.transfer_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "refund_id": refund_id,
                "transfer_id": transfer_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        refund_id = UUID(d.pop("refund_id"))

        transfer_id = UUID(d.pop("transfer_id"))

        refund_data = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            refund_id=refund_id,
            transfer_id=transfer_id,
        )

        refund_data.additional_properties = d
        return refund_data

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
