from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReconciliationItem")


@_attrs_define
class ReconciliationItem:
    """
    Attributes:
        amount (str): Decimal string with 2 fraction digits (never a JSON number)
        kind (str): `charge`/`payout` for a provider item, `topup`/`withdrawal` for a ledger one
        operation_id (UUID):
        completed_at (datetime.datetime | None | Unset):
        ledger_amount (None | str | Unset): Our amount, for an `amount_mismatch` item
        provider_id (None | str | Unset):
        settled_at (datetime.datetime | None | Unset):
    """

    amount: str
    kind: str
    operation_id: UUID
    completed_at: datetime.datetime | None | Unset = UNSET
    ledger_amount: None | str | Unset = UNSET
    provider_id: None | str | Unset = UNSET
    settled_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        kind = self.kind

        operation_id = str(self.operation_id)

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        ledger_amount: None | str | Unset
        if isinstance(self.ledger_amount, Unset):
            ledger_amount = UNSET
        else:
            ledger_amount = self.ledger_amount

        provider_id: None | str | Unset
        if isinstance(self.provider_id, Unset):
            provider_id = UNSET
        else:
            provider_id = self.provider_id

        settled_at: None | str | Unset
        if isinstance(self.settled_at, Unset):
            settled_at = UNSET
        elif isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "kind": kind,
                "operation_id": operation_id,
            }
        )
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if ledger_amount is not UNSET:
            field_dict["ledger_amount"] = ledger_amount
        if provider_id is not UNSET:
            field_dict["provider_id"] = provider_id
        if settled_at is not UNSET:
            field_dict["settled_at"] = settled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        kind = d.pop("kind")

        operation_id = UUID(d.pop("operation_id"))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        def _parse_ledger_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ledger_amount = _parse_ledger_amount(d.pop("ledger_amount", UNSET))

        def _parse_provider_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider_id = _parse_provider_id(d.pop("provider_id", UNSET))

        def _parse_settled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        settled_at = _parse_settled_at(d.pop("settled_at", UNSET))

        reconciliation_item = cls(
            amount=amount,
            kind=kind,
            operation_id=operation_id,
            completed_at=completed_at,
            ledger_amount=ledger_amount,
            provider_id=provider_id,
            settled_at=settled_at,
        )

        reconciliation_item.additional_properties = d
        return reconciliation_item

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
