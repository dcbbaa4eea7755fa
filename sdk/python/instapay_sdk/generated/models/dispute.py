from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dispute_reason import DisputeReason
from ..models.dispute_role import DisputeRole
from ..models.dispute_status import DisputeStatus

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="Dispute")


@_attrs_define
class Dispute:
    """A sender's report of a problem with a transfer. The recipient sees the case too, but not the
    sender's `note` (null for them): what the sender tells the operators stays between them.

        Attributes:
            amount (str): Decimal string with 2 fraction digits (never a JSON number)
            created_at (datetime.datetime): RFC 3339, UTC
            currency (str): ISO 4217
            id (UUID):
            note (None | str):
            reason (DisputeReason):
            recipient (Party): The other side of a transfer or payment request, as the user service named it then.
            reference (str):
            resolution_note (None | str): The operators' words once resolved
            resolved_at (datetime.datetime | None):
            reversal_id (None | UUID): The reversal that gave the money back (`resolved_reversed`)
            role (DisputeRole): The caller's side of the case
            sender (Party): The other side of a transfer or payment request, as the user service named it then.
            status (DisputeStatus):
            transaction_id (UUID): The disputed transfer
            transaction_reference (None | str):
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    id: UUID
    note: None | str
    reason: DisputeReason
    recipient: Party
    reference: str
    resolution_note: None | str
    resolved_at: datetime.datetime | None
    reversal_id: None | UUID
    role: DisputeRole
    sender: Party
    status: DisputeStatus
    transaction_id: UUID
    transaction_reference: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        id = str(self.id)

        note: None | str
        note = self.note

        reason = self.reason.value

        recipient = self.recipient.to_dict()

        reference = self.reference

        resolution_note: None | str
        resolution_note = self.resolution_note

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        reversal_id: None | str
        if isinstance(self.reversal_id, UUID):
            reversal_id = str(self.reversal_id)
        else:
            reversal_id = self.reversal_id

        role = self.role.value

        sender = self.sender.to_dict()

        status = self.status.value

        transaction_id = str(self.transaction_id)

        transaction_reference: None | str
        transaction_reference = self.transaction_reference

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "id": id,
                "note": note,
                "reason": reason,
                "recipient": recipient,
                "reference": reference,
                "resolution_note": resolution_note,
                "resolved_at": resolved_at,
                "reversal_id": reversal_id,
                "role": role,
                "sender": sender,
                "status": status,
                "transaction_id": transaction_id,
                "transaction_reference": transaction_reference,
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

        id = UUID(d.pop("id"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        reason = DisputeReason(d.pop("reason"))

        recipient = Party.from_dict(d.pop("recipient"))

        reference = d.pop("reference")

        def _parse_resolution_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution_note = _parse_resolution_note(d.pop("resolution_note"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_reversal_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reversal_id_type_0 = UUID(data)

                return reversal_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        reversal_id = _parse_reversal_id(d.pop("reversal_id"))

        role = DisputeRole(d.pop("role"))

        sender = Party.from_dict(d.pop("sender"))

        status = DisputeStatus(d.pop("status"))

        transaction_id = UUID(d.pop("transaction_id"))

        def _parse_transaction_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        transaction_reference = _parse_transaction_reference(d.pop("transaction_reference"))

        dispute = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            id=id,
            note=note,
            reason=reason,
            recipient=recipient,
            reference=reference,
            resolution_note=resolution_note,
            resolved_at=resolved_at,
            reversal_id=reversal_id,
            role=role,
            sender=sender,
            status=status,
            transaction_id=transaction_id,
            transaction_reference=transaction_reference,
        )

        dispute.additional_properties = d
        return dispute

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
