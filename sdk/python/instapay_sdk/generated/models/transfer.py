from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.party import Party
    from ..models.transfer_sender import TransferSender


T = TypeVar("T", bound="Transfer")


@_attrs_define
class Transfer:
    """
    Attributes:
        amount (str): Decimal string with 2 fraction digits (never a JSON number)
        created_at (datetime.datetime): RFC 3339, UTC
        currency (str): ISO 4217
        id (UUID):
        note (None | str):
        payment_link_id (None | UUID): The payment link this transfer paid, if any
        payment_request_id (None | UUID): The payment request this transfer paid, if any
        recipient (Party): The other side of a transfer or payment request, as the user service named it then.
        reference (str): The transaction's human reference (both sides of a transfer see the same one)
        sender (TransferSender):
        status (Literal['completed']):
        refund_of (None | Unset | UUID): A refund: the transfer it gives money back for (the original's sender is paid)
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    id: UUID
    note: None | str
    payment_link_id: None | UUID
    payment_request_id: None | UUID
    recipient: Party
    reference: str
    sender: TransferSender
    status: Literal["completed"]
    refund_of: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        id = str(self.id)

        note: None | str
        note = self.note

        payment_link_id: None | str
        if isinstance(self.payment_link_id, UUID):
            payment_link_id = str(self.payment_link_id)
        else:
            payment_link_id = self.payment_link_id

        payment_request_id: None | str
        if isinstance(self.payment_request_id, UUID):
            payment_request_id = str(self.payment_request_id)
        else:
            payment_request_id = self.payment_request_id

        recipient = self.recipient.to_dict()

        reference = self.reference

        sender = self.sender.to_dict()

        status = self.status

        refund_of: None | str | Unset
        if isinstance(self.refund_of, Unset):
            refund_of = UNSET
        elif isinstance(self.refund_of, UUID):
            refund_of = str(self.refund_of)
        else:
            refund_of = self.refund_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "id": id,
                "note": note,
                "payment_link_id": payment_link_id,
                "payment_request_id": payment_request_id,
                "recipient": recipient,
                "reference": reference,
                "sender": sender,
                "status": status,
            }
        )
        if refund_of is not UNSET:
            field_dict["refund_of"] = refund_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party  # noqa: PLC0415
        from ..models.transfer_sender import TransferSender  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        id = UUID(d.pop("id"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_payment_link_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_link_id_type_0 = UUID(data)

                return payment_link_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        payment_link_id = _parse_payment_link_id(d.pop("payment_link_id"))

        def _parse_payment_request_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_request_id_type_0 = UUID(data)

                return payment_request_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        payment_request_id = _parse_payment_request_id(d.pop("payment_request_id"))

        recipient = Party.from_dict(d.pop("recipient"))

        reference = d.pop("reference")

        sender = TransferSender.from_dict(d.pop("sender"))

        status = cast(Literal["completed"], d.pop("status"))
        if status != "completed":
            raise ValueError(f"status must match const 'completed', got '{status}'")

        def _parse_refund_of(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_of_type_0 = UUID(data)

                return refund_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        refund_of = _parse_refund_of(d.pop("refund_of", UNSET))

        transfer = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            id=id,
            note=note,
            payment_link_id=payment_link_id,
            payment_request_id=payment_request_id,
            recipient=recipient,
            reference=reference,
            sender=sender,
            status=status,
            refund_of=refund_of,
        )

        transfer.additional_properties = d
        return transfer

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
