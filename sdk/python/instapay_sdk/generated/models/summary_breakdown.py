from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.summary_amount import SummaryAmount


T = TypeVar("T", bound="SummaryBreakdown")


@_attrs_define
class SummaryBreakdown:
    """
    Attributes:
        topup (SummaryAmount):
        transfer_in (SummaryAmount):
        transfer_out (SummaryAmount):
        withdrawal (SummaryAmount):
    """

    topup: SummaryAmount
    transfer_in: SummaryAmount
    transfer_out: SummaryAmount
    withdrawal: SummaryAmount
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        topup = self.topup.to_dict()

        transfer_in = self.transfer_in.to_dict()

        transfer_out = self.transfer_out.to_dict()

        withdrawal = self.withdrawal.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "topup": topup,
                "transfer_in": transfer_in,
                "transfer_out": transfer_out,
                "withdrawal": withdrawal,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_amount import SummaryAmount  # noqa: PLC0415

        d = dict(src_dict)
        topup = SummaryAmount.from_dict(d.pop("topup"))

        transfer_in = SummaryAmount.from_dict(d.pop("transfer_in"))

        transfer_out = SummaryAmount.from_dict(d.pop("transfer_out"))

        withdrawal = SummaryAmount.from_dict(d.pop("withdrawal"))

        summary_breakdown = cls(
            topup=topup,
            transfer_in=transfer_in,
            transfer_out=transfer_out,
            withdrawal=withdrawal,
        )

        summary_breakdown.additional_properties = d
        return summary_breakdown

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
