from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.wallet_status import WalletStatus

if TYPE_CHECKING:
    from ..models.wallet_limits import WalletLimits


T = TypeVar("T", bound="Wallet")


@_attrs_define
class Wallet:
    """
    Attributes:
        account_id (UUID):
        available_balance (str): The balance less money held for pending withdrawals: what can be sent or withdrawn now
        balance (str): Decimal string with 2 fraction digits (never a JSON number)
        currency (str): ISO 4217
        limits (WalletLimits): Limits on money sent out (transfers and withdrawals), with what is used and left.
        status (WalletStatus):
        user_id (UUID):
    """

    account_id: UUID
    available_balance: str
    balance: str
    currency: str
    limits: WalletLimits
    status: WalletStatus
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        available_balance = self.available_balance

        balance = self.balance

        currency = self.currency

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
                "limits": limits,
                "status": status,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.wallet_limits import WalletLimits  # noqa: PLC0415

        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))

        available_balance = d.pop("available_balance")

        balance = d.pop("balance")

        currency = d.pop("currency")

        limits = WalletLimits.from_dict(d.pop("limits"))

        status = WalletStatus(d.pop("status"))

        user_id = UUID(d.pop("user_id"))

        wallet = cls(
            account_id=account_id,
            available_balance=available_balance,
            balance=balance,
            currency=currency,
            limits=limits,
            status=status,
            user_id=user_id,
        )

        wallet.additional_properties = d
        return wallet

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
