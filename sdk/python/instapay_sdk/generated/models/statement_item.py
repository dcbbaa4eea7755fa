from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.statement_item_direction import StatementItemDirection

if TYPE_CHECKING:
    from ..models.statement_counterparty import StatementCounterparty


T = TypeVar("T", bound="StatementItem")


@_attrs_define
class StatementItem:
    """
    Attributes:
        amount (str):
        balance_after (None | str):
        counterparty (None | StatementCounterparty):
        currency (str):
        date (str): RFC 3339, UTC
        direction (StatementItemDirection):
        note (None | str):
        reference (None | str):
        type_ (str): transfer (a refund is one too), reversal, topup or withdrawal
    """

    amount: str
    balance_after: None | str
    counterparty: None | StatementCounterparty
    currency: str
    date: str
    direction: StatementItemDirection
    note: None | str
    reference: None | str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.statement_counterparty import StatementCounterparty  # noqa: PLC0415

        amount = self.amount

        balance_after: None | str
        balance_after = self.balance_after

        counterparty: dict[str, Any] | None
        if isinstance(self.counterparty, StatementCounterparty):
            counterparty = self.counterparty.to_dict()
        else:
            counterparty = self.counterparty

        currency = self.currency

        date = self.date

        direction = self.direction.value

        note: None | str
        note = self.note

        reference: None | str
        reference = self.reference

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "balance_after": balance_after,
                "counterparty": counterparty,
                "currency": currency,
                "date": date,
                "direction": direction,
                "note": note,
                "reference": reference,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.statement_counterparty import StatementCounterparty  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_balance_after(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        balance_after = _parse_balance_after(d.pop("balance_after"))

        def _parse_counterparty(data: object) -> None | StatementCounterparty:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                counterparty_type_0 = StatementCounterparty.from_dict(data)

                return counterparty_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StatementCounterparty, data)

        counterparty = _parse_counterparty(d.pop("counterparty"))

        currency = d.pop("currency")

        date = d.pop("date")

        direction = StatementItemDirection(d.pop("direction"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        type_ = d.pop("type")

        statement_item = cls(
            amount=amount,
            balance_after=balance_after,
            counterparty=counterparty,
            currency=currency,
            date=date,
            direction=direction,
            note=note,
            reference=reference,
            type_=type_,
        )

        statement_item.additional_properties = d
        return statement_item

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
