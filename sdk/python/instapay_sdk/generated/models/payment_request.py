from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_request_status import PaymentRequestStatus

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="PaymentRequest")


@_attrs_define
class PaymentRequest:
    """
    Attributes:
        amount (str): Decimal string with 2 fraction digits (never a JSON number)
        created_at (datetime.datetime): RFC 3339, UTC
        currency (str): ISO 4217
        expires_at (datetime.datetime): RFC 3339, UTC
        id (UUID):
        note (None | str):
        payer (Party): The other side of a transfer or payment request, as the user service named it then.
        requester (Party): The other side of a transfer or payment request, as the user service named it then.
        status (PaymentRequestStatus):
        transfer_id (None | UUID): The transfer that paid it, once accepted
        transfer_reference (None | str): That transfer's human reference (`IP7K3Q9X2M`)
        updated_at (datetime.datetime): RFC 3339, UTC
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    expires_at: datetime.datetime
    id: UUID
    note: None | str
    payer: Party
    requester: Party
    status: PaymentRequestStatus
    transfer_id: None | UUID
    transfer_reference: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        expires_at = self.expires_at.isoformat()

        id = str(self.id)

        note: None | str
        note = self.note

        payer = self.payer.to_dict()

        requester = self.requester.to_dict()

        status = self.status.value

        transfer_id: None | str
        if isinstance(self.transfer_id, UUID):
            transfer_id = str(self.transfer_id)
        else:
            transfer_id = self.transfer_id

        transfer_reference: None | str
        transfer_reference = self.transfer_reference

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "expires_at": expires_at,
                "id": id,
                "note": note,
                "payer": payer,
                "requester": requester,
                "status": status,
                "transfer_id": transfer_id,
                "transfer_reference": transfer_reference,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = UUID(d.pop("id"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        payer = Party.from_dict(d.pop("payer"))

        requester = Party.from_dict(d.pop("requester"))

        status = PaymentRequestStatus(d.pop("status"))

        def _parse_transfer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transfer_id_type_0 = UUID(data)

                return transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        transfer_id = _parse_transfer_id(d.pop("transfer_id"))

        def _parse_transfer_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        transfer_reference = _parse_transfer_reference(d.pop("transfer_reference"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        payment_request = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            expires_at=expires_at,
            id=id,
            note=note,
            payer=payer,
            requester=requester,
            status=status,
            transfer_id=transfer_id,
            transfer_reference=transfer_reference,
            updated_at=updated_at,
        )

        payment_request.additional_properties = d
        return payment_request

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
