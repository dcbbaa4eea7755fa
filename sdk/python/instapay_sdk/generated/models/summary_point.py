from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SummaryPoint")


@_attrs_define
class SummaryPoint:
    """
    Attributes:
        count (int):
        period (str): YYYY-MM-DD, ISO week YYYY-Www or YYYY-MM
        received (str):
        received_from_people (str): Transfers received in the period (part of `received`)
        sent (str):
        start (str): first day of the period (YYYY-MM-DD)
        topped_up (str): Top-ups in the period (the rest of `received`)
    """

    count: int
    period: str
    received: str
    received_from_people: str
    sent: str
    start: str
    topped_up: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        period = self.period

        received = self.received

        received_from_people = self.received_from_people

        sent = self.sent

        start = self.start

        topped_up = self.topped_up

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "period": period,
                "received": received,
                "received_from_people": received_from_people,
                "sent": sent,
                "start": start,
                "topped_up": topped_up,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        period = d.pop("period")

        received = d.pop("received")

        received_from_people = d.pop("received_from_people")

        sent = d.pop("sent")

        start = d.pop("start")

        topped_up = d.pop("topped_up")

        summary_point = cls(
            count=count,
            period=period,
            received=received,
            received_from_people=received_from_people,
            sent=sent,
            start=start,
            topped_up=topped_up,
        )

        summary_point.additional_properties = d
        return summary_point

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
