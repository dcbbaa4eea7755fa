from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_request_data_role import PaymentRequestDataRole

if TYPE_CHECKING:
    from ..models.counterparty import Counterparty


T = TypeVar("T", bound="PaymentRequestData")


@_attrs_define
class PaymentRequestData:
    """
    Attributes:
        amount (str): Decimal string
        counterparty (Counterparty):
        created_at (datetime.datetime):
        currency (str):
        expires_at (None | str):
        request_id (UUID):
        role (PaymentRequestDataRole): The receiving user's side of the request
        transfer_id (None | str): Set on payment_request.paid
    """

    amount: str
    counterparty: Counterparty
    created_at: datetime.datetime
    currency: str
    expires_at: None | str
    request_id: UUID
    role: PaymentRequestDataRole
    transfer_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        counterparty = self.counterparty.to_dict()

        created_at = self.created_at.isoformat()

        currency = self.currency

        expires_at: None | str
        expires_at = self.expires_at

        request_id = str(self.request_id)

        role = self.role.value

        transfer_id: None | str
        transfer_id = self.transfer_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "counterparty": counterparty,
                "created_at": created_at,
                "currency": currency,
                "expires_at": expires_at,
                "request_id": request_id,
                "role": role,
                "transfer_id": transfer_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.counterparty import Counterparty  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        counterparty = Counterparty.from_dict(d.pop("counterparty"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        def _parse_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        request_id = UUID(d.pop("request_id"))

        role = PaymentRequestDataRole(d.pop("role"))

        def _parse_transfer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        transfer_id = _parse_transfer_id(d.pop("transfer_id"))

        payment_request_data = cls(
            amount=amount,
            counterparty=counterparty,
            created_at=created_at,
            currency=currency,
            expires_at=expires_at,
            request_id=request_id,
            role=role,
            transfer_id=transfer_id,
        )

        payment_request_data.additional_properties = d
        return payment_request_data

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
