from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refund_ref_type import RefundRefType

T = TypeVar("T", bound="RefundRef")


@_attrs_define
class RefundRef:
    """A refund or the reversal of a transfer, as its detail links it.

    Attributes:
        amount (str): Decimal string with 2 fraction digits (never a JSON number)
        created_at (datetime.datetime): RFC 3339, UTC
        id (UUID):
        reference (str): The transaction's human reference (both sides of a transfer see the same one)
        type_ (RefundRefType):
    """

    amount: str
    created_at: datetime.datetime
    id: UUID
    reference: str
    type_: RefundRefType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        id = str(self.id)

        reference = self.reference

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "id": id,
                "reference": reference,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        reference = d.pop("reference")

        type_ = RefundRefType(d.pop("type"))

        refund_ref = cls(
            amount=amount,
            created_at=created_at,
            id=id,
            reference=reference,
            type_=type_,
        )

        refund_ref.additional_properties = d
        return refund_ref

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
