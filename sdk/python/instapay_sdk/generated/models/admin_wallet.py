from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.admin_wallet_status import AdminWalletStatus

if TYPE_CHECKING:
    from ..models.limit_overrides import LimitOverrides
    from ..models.wallet_limits import WalletLimits


T = TypeVar("T", bound="AdminWallet")


@_attrs_define
class AdminWallet:
    """An operator's view of a wallet: the owner's (with its effective `limits`), with the freeze
    state and the limit overrides.

        Attributes:
            account_id (UUID):
            available_balance (str): The balance less money held for pending withdrawals: what can be sent or withdrawn now
            balance (str): Decimal string with 2 fraction digits (never a JSON number)
            currency (str): ISO 4217
            frozen_at (datetime.datetime | None): Since when it is frozen; null while active
            frozen_reason (None | str): Why the wallet is frozen (the owner was told); null while active
            limit_overrides (LimitOverrides): A wallet's own limits set by two admins; null: the configured default applies.
            limits (WalletLimits): Limits on money sent out (transfers and withdrawals), with what is used and left.
            status (AdminWalletStatus):
            user_id (UUID):
    """

    account_id: UUID
    available_balance: str
    balance: str
    currency: str
    frozen_at: datetime.datetime | None
    frozen_reason: None | str
    limit_overrides: LimitOverrides
    limits: WalletLimits
    status: AdminWalletStatus
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        available_balance = self.available_balance

        balance = self.balance

        currency = self.currency

        frozen_at: None | str
        if isinstance(self.frozen_at, datetime.datetime):
            frozen_at = self.frozen_at.isoformat()
        else:
            frozen_at = self.frozen_at

        frozen_reason: None | str
        frozen_reason = self.frozen_reason

        limit_overrides = self.limit_overrides.to_dict()

        limits = self.limits.to_dict()

        status = self.status.value

        user_id = str(self.user_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "available_balance": available_balance,
                "balance": balance,
                "currency": currency,
                "frozen_at": frozen_at,
                "frozen_reason": frozen_reason,
                "limit_overrides": limit_overrides,
                "limits": limits,
                "status": status,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limit_overrides import LimitOverrides  # noqa: PLC0415
        from ..models.wallet_limits import WalletLimits  # noqa: PLC0415

        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))

        available_balance = d.pop("available_balance")

        balance = d.pop("balance")

        currency = d.pop("currency")

        def _parse_frozen_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                frozen_at_type_0 = datetime.datetime.fromisoformat(data)

                return frozen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        frozen_at = _parse_frozen_at(d.pop("frozen_at"))

        def _parse_frozen_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        frozen_reason = _parse_frozen_reason(d.pop("frozen_reason"))

        limit_overrides = LimitOverrides.from_dict(d.pop("limit_overrides"))

        limits = WalletLimits.from_dict(d.pop("limits"))

        status = AdminWalletStatus(d.pop("status"))

        user_id = UUID(d.pop("user_id"))

        admin_wallet = cls(
            account_id=account_id,
            available_balance=available_balance,
            balance=balance,
            currency=currency,
            frozen_at=frozen_at,
            frozen_reason=frozen_reason,
            limit_overrides=limit_overrides,
            limits=limits,
            status=status,
            user_id=user_id,
        )

        admin_wallet.additional_properties = d
        return admin_wallet

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
