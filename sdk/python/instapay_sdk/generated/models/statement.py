from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.statement_item import StatementItem


T = TypeVar("T", bound="Statement")


@_attrs_define
class Statement:
    """Opening balance = the balance after the last movement before the range (0.00 if none);
    closing = the balance after the range's last movement (or the opening).

        Attributes:
            closing_balance (str):
            count (int):
            currency (str):
            from_ (str): YYYY-MM-DD, inclusive
            items (list[StatementItem]):
            opening_balance (str):
            to (str): YYYY-MM-DD, inclusive
            total_in (str):
            total_out (str):
    """

    closing_balance: str
    count: int
    currency: str
    from_: str
    items: list[StatementItem]
    opening_balance: str
    to: str
    total_in: str
    total_out: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closing_balance = self.closing_balance

        count = self.count

        currency = self.currency

        from_ = self.from_

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        opening_balance = self.opening_balance

        to = self.to

        total_in = self.total_in

        total_out = self.total_out

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closing_balance": closing_balance,
                "count": count,
                "currency": currency,
                "from": from_,
                "items": items,
                "opening_balance": opening_balance,
                "to": to,
                "total_in": total_in,
                "total_out": total_out,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.statement_item import StatementItem  # noqa: PLC0415

        d = dict(src_dict)
        closing_balance = d.pop("closing_balance")

        count = d.pop("count")

        currency = d.pop("currency")

        from_ = d.pop("from")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = StatementItem.from_dict(items_item_data)

            items.append(items_item)

        opening_balance = d.pop("opening_balance")

        to = d.pop("to")

        total_in = d.pop("total_in")

        total_out = d.pop("total_out")

        statement = cls(
            closing_balance=closing_balance,
            count=count,
            currency=currency,
            from_=from_,
            items=items,
            opening_balance=opening_balance,
            to=to,
            total_in=total_in,
            total_out=total_out,
        )

        statement.additional_properties = d
        return statement

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
