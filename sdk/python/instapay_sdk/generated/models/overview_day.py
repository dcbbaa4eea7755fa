from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverviewDay")


@_attrs_define
class OverviewDay:
    """
    Attributes:
        active_users (int):
        date (str):
        new_users (int):
        topup_count (int):
        topup_volume (str):
        transfer_count (int):
        transfer_volume (str):
        withdrawal_count (int):
        withdrawal_volume (str):
    """

    active_users: int
    date: str
    new_users: int
    topup_count: int
    topup_volume: str
    transfer_count: int
    transfer_volume: str
    withdrawal_count: int
    withdrawal_volume: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active_users = self.active_users

        date = self.date

        new_users = self.new_users

        topup_count = self.topup_count

        topup_volume = self.topup_volume

        transfer_count = self.transfer_count

        transfer_volume = self.transfer_volume

        withdrawal_count = self.withdrawal_count

        withdrawal_volume = self.withdrawal_volume

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active_users": active_users,
                "date": date,
                "new_users": new_users,
                "topup_count": topup_count,
                "topup_volume": topup_volume,
                "transfer_count": transfer_count,
                "transfer_volume": transfer_volume,
                "withdrawal_count": withdrawal_count,
                "withdrawal_volume": withdrawal_volume,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_users = d.pop("active_users")

        date = d.pop("date")

        new_users = d.pop("new_users")

        topup_count = d.pop("topup_count")

        topup_volume = d.pop("topup_volume")

        transfer_count = d.pop("transfer_count")

        transfer_volume = d.pop("transfer_volume")

        withdrawal_count = d.pop("withdrawal_count")

        withdrawal_volume = d.pop("withdrawal_volume")

        overview_day = cls(
            active_users=active_users,
            date=date,
            new_users=new_users,
            topup_count=topup_count,
            topup_volume=topup_volume,
            transfer_count=transfer_count,
            transfer_volume=transfer_volume,
            withdrawal_count=withdrawal_count,
            withdrawal_volume=withdrawal_volume,
        )

        overview_day.additional_properties = d
        return overview_day

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
