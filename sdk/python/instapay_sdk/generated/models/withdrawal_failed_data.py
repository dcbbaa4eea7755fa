from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WithdrawalFailedData")


@_attrs_define
class WithdrawalFailedData:
    """
    Attributes:
        amount (str): Decimal string
        balance_after (None | str):
        created_at (None | str):
        currency (str):
        reason (None | str):
        transaction_id (UUID):
    """

    amount: str
    balance_after: None | str
    created_at: None | str
    currency: str
    reason: None | str
    transaction_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        balance_after: None | str
        balance_after = self.balance_after

        created_at: None | str
        created_at = self.created_at

        currency = self.currency

        reason: None | str
        reason = self.reason

        transaction_id = str(self.transaction_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "balance_after": balance_after,
                "created_at": created_at,
                "currency": currency,
                "reason": reason,
                "transaction_id": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_balance_after(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        balance_after = _parse_balance_after(d.pop("balance_after"))

        def _parse_created_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_at = _parse_created_at(d.pop("created_at"))

        currency = d.pop("currency")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        transaction_id = UUID(d.pop("transaction_id"))

        withdrawal_failed_data = cls(
            amount=amount,
            balance_after=balance_after,
            created_at=created_at,
            currency=currency,
            reason=reason,
            transaction_id=transaction_id,
        )

        withdrawal_failed_data.additional_properties = d
        return withdrawal_failed_data

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
