from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LimitOverrides")


@_attrs_define
class LimitOverrides:
    """A wallet's own limits set by two admins; null: the configured default applies.

    Attributes:
        daily (None | str):
        monthly (None | str):
        per_transaction (None | str):
    """

    daily: None | str
    monthly: None | str
    per_transaction: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        daily: None | str
        daily = self.daily

        monthly: None | str
        monthly = self.monthly

        per_transaction: None | str
        per_transaction = self.per_transaction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "daily": daily,
                "monthly": monthly,
                "per_transaction": per_transaction,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_daily(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        daily = _parse_daily(d.pop("daily"))

        def _parse_monthly(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        monthly = _parse_monthly(d.pop("monthly"))

        def _parse_per_transaction(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        per_transaction = _parse_per_transaction(d.pop("per_transaction"))

        limit_overrides = cls(
            daily=daily,
            monthly=monthly,
            per_transaction=per_transaction,
        )

        limit_overrides.additional_properties = d
        return limit_overrides

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
