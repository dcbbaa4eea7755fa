from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.refund_data_role import RefundDataRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.counterparty import Counterparty


T = TypeVar("T", bound="RefundData")


@_attrs_define
class RefundData:
    """
    Attributes:
        amount (str): Decimal string
        created_at (datetime.datetime):
        currency (str):
        refund_id (UUID): The refund (a transfer)
        transfer_id (UUID): The transfer it refunds
        counterparty (Counterparty | None | Unset):
        role (RefundDataRole | Unset): The receiving user's side: who gave money back, or who got it Default:
            RefundDataRole.REFUNDED.
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    refund_id: UUID
    transfer_id: UUID
    counterparty: Counterparty | None | Unset = UNSET
    role: RefundDataRole | Unset = RefundDataRole.REFUNDED
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.counterparty import Counterparty  # noqa: PLC0415

        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        refund_id = str(self.refund_id)

        transfer_id = str(self.transfer_id)

        counterparty: dict[str, Any] | None | Unset
        if isinstance(self.counterparty, Unset):
            counterparty = UNSET
        elif isinstance(self.counterparty, Counterparty):
            counterparty = self.counterparty.to_dict()
        else:
            counterparty = self.counterparty

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "refund_id": refund_id,
                "transfer_id": transfer_id,
            }
        )
        if counterparty is not UNSET:
            field_dict["counterparty"] = counterparty
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.counterparty import Counterparty  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        refund_id = UUID(d.pop("refund_id"))

        transfer_id = UUID(d.pop("transfer_id"))

        def _parse_counterparty(data: object) -> Counterparty | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                counterparty_type_0 = Counterparty.from_dict(data)

                return counterparty_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Counterparty | None | Unset, data)

        counterparty = _parse_counterparty(d.pop("counterparty", UNSET))

        _role = d.pop("role", UNSET)
        role: RefundDataRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = RefundDataRole(_role)

        refund_data = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            refund_id=refund_id,
            transfer_id=transfer_id,
            counterparty=counterparty,
            role=role,
        )

        refund_data.additional_properties = d
        return refund_data

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
