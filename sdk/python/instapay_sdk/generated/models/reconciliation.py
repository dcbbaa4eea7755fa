from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.reconciliation_item import ReconciliationItem


T = TypeVar("T", bound="Reconciliation")


@_attrs_define
class Reconciliation:
    """The provider's settlement report of a day against the ledger.

    Attributes:
        amount_mismatch (list[ReconciliationItem]):
        date (datetime.date):
        matched (int):
        missing_at_provider (list[ReconciliationItem]):
        missing_in_ledger (list[ReconciliationItem]):
        ran_at (datetime.datetime | None):
    """

    amount_mismatch: list[ReconciliationItem]
    date: datetime.date
    matched: int
    missing_at_provider: list[ReconciliationItem]
    missing_in_ledger: list[ReconciliationItem]
    ran_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount_mismatch = []
        for amount_mismatch_item_data in self.amount_mismatch:
            amount_mismatch_item = amount_mismatch_item_data.to_dict()
            amount_mismatch.append(amount_mismatch_item)

        date = self.date.isoformat()

        matched = self.matched

        missing_at_provider = []
        for missing_at_provider_item_data in self.missing_at_provider:
            missing_at_provider_item = missing_at_provider_item_data.to_dict()
            missing_at_provider.append(missing_at_provider_item)

        missing_in_ledger = []
        for missing_in_ledger_item_data in self.missing_in_ledger:
            missing_in_ledger_item = missing_in_ledger_item_data.to_dict()
            missing_in_ledger.append(missing_in_ledger_item)

        ran_at: None | str
        if isinstance(self.ran_at, datetime.datetime):
            ran_at = self.ran_at.isoformat()
        else:
            ran_at = self.ran_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount_mismatch": amount_mismatch,
                "date": date,
                "matched": matched,
                "missing_at_provider": missing_at_provider,
                "missing_in_ledger": missing_in_ledger,
                "ran_at": ran_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reconciliation_item import ReconciliationItem  # noqa: PLC0415

        d = dict(src_dict)
        amount_mismatch = []
        _amount_mismatch = d.pop("amount_mismatch")
        for amount_mismatch_item_data in _amount_mismatch:
            amount_mismatch_item = ReconciliationItem.from_dict(amount_mismatch_item_data)

            amount_mismatch.append(amount_mismatch_item)

        date = datetime.date.fromisoformat(d.pop("date"))

        matched = d.pop("matched")

        missing_at_provider = []
        _missing_at_provider = d.pop("missing_at_provider")
        for missing_at_provider_item_data in _missing_at_provider:
            missing_at_provider_item = ReconciliationItem.from_dict(missing_at_provider_item_data)

            missing_at_provider.append(missing_at_provider_item)

        missing_in_ledger = []
        _missing_in_ledger = d.pop("missing_in_ledger")
        for missing_in_ledger_item_data in _missing_in_ledger:
            missing_in_ledger_item = ReconciliationItem.from_dict(missing_in_ledger_item_data)

            missing_in_ledger.append(missing_in_ledger_item)

        def _parse_ran_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ran_at_type_0 = datetime.datetime.fromisoformat(data)

                return ran_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ran_at = _parse_ran_at(d.pop("ran_at"))

        reconciliation = cls(
            amount_mismatch=amount_mismatch,
            date=date,
            matched=matched,
            missing_at_provider=missing_at_provider,
            missing_in_ledger=missing_in_ledger,
            ran_at=ran_at,
        )

        reconciliation.additional_properties = d
        return reconciliation

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
