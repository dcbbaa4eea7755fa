from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WalletLimits")


@_attrs_define
class WalletLimits:
    """Limits on money sent out (transfers and withdrawals), with what is used and left.

    Attributes:
        daily (str): Decimal string with 2 fraction digits (never a JSON number)
        daily_remaining (str): Decimal string with 2 fraction digits (never a JSON number)
        daily_used (str): Decimal string with 2 fraction digits (never a JSON number)
        monthly (str): Decimal string with 2 fraction digits (never a JSON number)
        monthly_remaining (str): Decimal string with 2 fraction digits (never a JSON number)
        monthly_used (str): Decimal string with 2 fraction digits (never a JSON number)
        per_transaction (str): Decimal string with 2 fraction digits (never a JSON number)
    """

    daily: str
    daily_remaining: str
    daily_used: str
    monthly: str
    monthly_remaining: str
    monthly_used: str
    per_transaction: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        daily = self.daily

        daily_remaining = self.daily_remaining

        daily_used = self.daily_used

        monthly = self.monthly

        monthly_remaining = self.monthly_remaining

        monthly_used = self.monthly_used

        per_transaction = self.per_transaction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "daily": daily,
                "daily_remaining": daily_remaining,
                "daily_used": daily_used,
                "monthly": monthly,
                "monthly_remaining": monthly_remaining,
                "monthly_used": monthly_used,
                "per_transaction": per_transaction,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        daily = d.pop("daily")

        daily_remaining = d.pop("daily_remaining")

        daily_used = d.pop("daily_used")

        monthly = d.pop("monthly")

        monthly_remaining = d.pop("monthly_remaining")

        monthly_used = d.pop("monthly_used")

        per_transaction = d.pop("per_transaction")

        wallet_limits = cls(
            daily=daily,
            daily_remaining=daily_remaining,
            daily_used=daily_used,
            monthly=monthly,
            monthly_remaining=monthly_remaining,
            monthly_used=monthly_used,
            per_transaction=per_transaction,
        )

        wallet_limits.additional_properties = d
        return wallet_limits

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
