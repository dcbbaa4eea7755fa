from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.summary_granularity import SummaryGranularity

if TYPE_CHECKING:
    from ..models.summary_breakdown import SummaryBreakdown
    from ..models.summary_point import SummaryPoint
    from ..models.top_counterparty import TopCounterparty


T = TypeVar("T", bound="Summary")


@_attrs_define
class Summary:
    """Sent = money out (transfers sent + withdrawals), received = money in (transfers received +
    top-ups), split into `received_from_people` and `topped_up` (received = their sum); `series`
    has every period touching the range, with or without activity.

        Attributes:
            breakdown (SummaryBreakdown):
            count_received (int):
            count_sent (int):
            currency (str):
            from_ (str): YYYY-MM-DD, inclusive
            granularity (SummaryGranularity):
            net (str):
            received_from_people (str): Transfers received (part of `total_received`)
            series (list[SummaryPoint]):
            to (str): YYYY-MM-DD, inclusive
            top_counterparties (list[TopCounterparty]):
            topped_up (str): Top-ups (the rest of `total_received`)
            total_received (str):
            total_sent (str):
    """

    breakdown: SummaryBreakdown
    count_received: int
    count_sent: int
    currency: str
    from_: str
    granularity: SummaryGranularity
    net: str
    received_from_people: str
    series: list[SummaryPoint]
    to: str
    top_counterparties: list[TopCounterparty]
    topped_up: str
    total_received: str
    total_sent: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breakdown = self.breakdown.to_dict()

        count_received = self.count_received

        count_sent = self.count_sent

        currency = self.currency

        from_ = self.from_

        granularity = self.granularity.value

        net = self.net

        received_from_people = self.received_from_people

        series = []
        for series_item_data in self.series:
            series_item = series_item_data.to_dict()
            series.append(series_item)

        to = self.to

        top_counterparties = []
        for top_counterparties_item_data in self.top_counterparties:
            top_counterparties_item = top_counterparties_item_data.to_dict()
            top_counterparties.append(top_counterparties_item)

        topped_up = self.topped_up

        total_received = self.total_received

        total_sent = self.total_sent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breakdown": breakdown,
                "count_received": count_received,
                "count_sent": count_sent,
                "currency": currency,
                "from": from_,
                "granularity": granularity,
                "net": net,
                "received_from_people": received_from_people,
                "series": series,
                "to": to,
                "top_counterparties": top_counterparties,
                "topped_up": topped_up,
                "total_received": total_received,
                "total_sent": total_sent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_breakdown import SummaryBreakdown  # noqa: PLC0415
        from ..models.summary_point import SummaryPoint  # noqa: PLC0415
        from ..models.top_counterparty import TopCounterparty  # noqa: PLC0415

        d = dict(src_dict)
        breakdown = SummaryBreakdown.from_dict(d.pop("breakdown"))

        count_received = d.pop("count_received")

        count_sent = d.pop("count_sent")

        currency = d.pop("currency")

        from_ = d.pop("from")

        granularity = SummaryGranularity(d.pop("granularity"))

        net = d.pop("net")

        received_from_people = d.pop("received_from_people")

        series = []
        _series = d.pop("series")
        for series_item_data in _series:
            series_item = SummaryPoint.from_dict(series_item_data)

            series.append(series_item)

        to = d.pop("to")

        top_counterparties = []
        _top_counterparties = d.pop("top_counterparties")
        for top_counterparties_item_data in _top_counterparties:
            top_counterparties_item = TopCounterparty.from_dict(top_counterparties_item_data)

            top_counterparties.append(top_counterparties_item)

        topped_up = d.pop("topped_up")

        total_received = d.pop("total_received")

        total_sent = d.pop("total_sent")

        summary = cls(
            breakdown=breakdown,
            count_received=count_received,
            count_sent=count_sent,
            currency=currency,
            from_=from_,
            granularity=granularity,
            net=net,
            received_from_people=received_from_people,
            series=series,
            to=to,
            top_counterparties=top_counterparties,
            topped_up=topped_up,
            total_received=total_received,
            total_sent=total_sent,
        )

        summary.additional_properties = d
        return summary

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
