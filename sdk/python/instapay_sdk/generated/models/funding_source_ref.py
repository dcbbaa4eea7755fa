from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.funding_source_ref_type import FundingSourceRefType

T = TypeVar("T", bound="FundingSourceRef")


@_attrs_define
class FundingSourceRef:
    """
    Attributes:
        last4 (None | str): The last four letters or digits of the card or account reference
        type_ (FundingSourceRefType):
    """

    last4: None | str
    type_: FundingSourceRefType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        last4: None | str
        last4 = self.last4

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "last4": last4,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_last4(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last4 = _parse_last4(d.pop("last4"))

        type_ = FundingSourceRefType(d.pop("type"))

        funding_source_ref = cls(
            last4=last4,
            type_=type_,
        )

        funding_source_ref.additional_properties = d
        return funding_source_ref

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
