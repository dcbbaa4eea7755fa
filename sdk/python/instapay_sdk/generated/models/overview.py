from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.overview_counts import OverviewCounts
    from ..models.overview_day import OverviewDay
    from ..models.overview_users import OverviewUsers
    from ..models.overview_volume import OverviewVolume


T = TypeVar("T", bound="Overview")


@_attrs_define
class Overview:
    """
    Attributes:
        counts (OverviewCounts):
        currency (str):
        from_ (str): YYYY-MM-DD, inclusive
        per_day (list[OverviewDay]):
        to (str): YYYY-MM-DD, inclusive
        users (OverviewUsers):
        volume (OverviewVolume):
    """

    counts: OverviewCounts
    currency: str
    from_: str
    per_day: list[OverviewDay]
    to: str
    users: OverviewUsers
    volume: OverviewVolume
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts.to_dict()

        currency = self.currency

        from_ = self.from_

        per_day = []
        for per_day_item_data in self.per_day:
            per_day_item = per_day_item_data.to_dict()
            per_day.append(per_day_item)

        to = self.to

        users = self.users.to_dict()

        volume = self.volume.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "counts": counts,
                "currency": currency,
                "from": from_,
                "per_day": per_day,
                "to": to,
                "users": users,
                "volume": volume,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.overview_counts import OverviewCounts  # noqa: PLC0415
        from ..models.overview_day import OverviewDay  # noqa: PLC0415
        from ..models.overview_users import OverviewUsers  # noqa: PLC0415
        from ..models.overview_volume import OverviewVolume  # noqa: PLC0415

        d = dict(src_dict)
        counts = OverviewCounts.from_dict(d.pop("counts"))

        currency = d.pop("currency")

        from_ = d.pop("from")

        per_day = []
        _per_day = d.pop("per_day")
        for per_day_item_data in _per_day:
            per_day_item = OverviewDay.from_dict(per_day_item_data)

            per_day.append(per_day_item)

        to = d.pop("to")

        users = OverviewUsers.from_dict(d.pop("users"))

        volume = OverviewVolume.from_dict(d.pop("volume"))

        overview = cls(
            counts=counts,
            currency=currency,
            from_=from_,
            per_day=per_day,
            to=to,
            users=users,
            volume=volume,
        )

        overview.additional_properties = d
        return overview

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
