from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LimitsIn")


@_attrs_define
class LimitsIn:
    """A change of a wallet's spending limits (two-person control). A limit left out stays as it
    is; `null` restores the configured default; at least one limit must be named.

        Attributes:
            reason (str):
            daily (float | None | str | Unset):
            monthly (float | None | str | Unset):
            per_transaction (float | None | str | Unset):
    """

    reason: str
    daily: float | None | str | Unset = UNSET
    monthly: float | None | str | Unset = UNSET
    per_transaction: float | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        daily: float | None | str | Unset
        if isinstance(self.daily, Unset):
            daily = UNSET
        else:
            daily = self.daily

        monthly: float | None | str | Unset
        if isinstance(self.monthly, Unset):
            monthly = UNSET
        else:
            monthly = self.monthly

        per_transaction: float | None | str | Unset
        if isinstance(self.per_transaction, Unset):
            per_transaction = UNSET
        else:
            per_transaction = self.per_transaction

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )
        if daily is not UNSET:
            field_dict["daily"] = daily
        if monthly is not UNSET:
            field_dict["monthly"] = monthly
        if per_transaction is not UNSET:
            field_dict["per_transaction"] = per_transaction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_daily(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        daily = _parse_daily(d.pop("daily", UNSET))

        def _parse_monthly(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        monthly = _parse_monthly(d.pop("monthly", UNSET))

        def _parse_per_transaction(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        per_transaction = _parse_per_transaction(d.pop("per_transaction", UNSET))

        limits_in = cls(
            reason=reason,
            daily=daily,
            monthly=monthly,
            per_transaction=per_transaction,
        )

        return limits_in
