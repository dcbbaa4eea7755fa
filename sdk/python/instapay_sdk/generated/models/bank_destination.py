from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BankDestination")


@_attrs_define
class BankDestination:
    """
    Attributes:
        reference (str):
        type_ (Literal['bank']):
    """

    reference: str
    type_: Literal["bank"]

    def to_dict(self) -> dict[str, Any]:
        reference = self.reference

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reference": reference,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reference = d.pop("reference")

        type_ = cast(Literal["bank"], d.pop("type"))
        if type_ != "bank":
            raise ValueError(f"type must match const 'bank', got '{type_}'")

        bank_destination = cls(
            reference=reference,
            type_=type_,
        )

        return bank_destination
