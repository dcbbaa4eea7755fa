from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.funding_source_type import FundingSourceType

T = TypeVar("T", bound="FundingSource")


@_attrs_define
class FundingSource:
    """
    Attributes:
        reference (str):
        type_ (FundingSourceType):
    """

    reference: str
    type_: FundingSourceType

    def to_dict(self) -> dict[str, Any]:
        reference = self.reference

        type_ = self.type_.value

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

        type_ = FundingSourceType(d.pop("type"))

        funding_source = cls(
            reference=reference,
            type_=type_,
        )

        return funding_source
