from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scheduled_transfer_repeat import ScheduledTransferRepeat
from ..models.scheduled_transfer_status import ScheduledTransferStatus

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="ScheduledTransfer")


@_attrs_define
class ScheduledTransfer:
    """
    Attributes:
        amount (str): What each future occurrence sends
        created_at (datetime.datetime): RFC 3339, UTC
        currency (str): ISO 4217
        end_after (int | None): How many occurrences run; null: until cancelled
        id (UUID):
        last_outcome (None | str): `completed`, or the decline's code (`insufficient_funds`, `limit_exceeded`, ...)
        last_run_at (datetime.datetime | None):
        last_transfer_id (None | UUID):
        next_run_at (datetime.datetime | None): The next occurrence (UTC); null once cancelled or completed
        note (None | str):
        recipient (Party): The other side of a transfer or payment request, as the user service named it then.
        repeat (ScheduledTransferRepeat):
        runs (int): Occurrences that ran so far (completed or failed)
        start_at (datetime.datetime): RFC 3339, UTC
        status (ScheduledTransferStatus):
        updated_at (datetime.datetime): RFC 3339, UTC
    """

    amount: str
    created_at: datetime.datetime
    currency: str
    end_after: int | None
    id: UUID
    last_outcome: None | str
    last_run_at: datetime.datetime | None
    last_transfer_id: None | UUID
    next_run_at: datetime.datetime | None
    note: None | str
    recipient: Party
    repeat: ScheduledTransferRepeat
    runs: int
    start_at: datetime.datetime
    status: ScheduledTransferStatus
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        end_after: int | None
        end_after = self.end_after

        id = str(self.id)

        last_outcome: None | str
        last_outcome = self.last_outcome

        last_run_at: None | str
        if isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        last_transfer_id: None | str
        if isinstance(self.last_transfer_id, UUID):
            last_transfer_id = str(self.last_transfer_id)
        else:
            last_transfer_id = self.last_transfer_id

        next_run_at: None | str
        if isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        note: None | str
        note = self.note

        recipient = self.recipient.to_dict()

        repeat = self.repeat.value

        runs = self.runs

        start_at = self.start_at.isoformat()

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "end_after": end_after,
                "id": id,
                "last_outcome": last_outcome,
                "last_run_at": last_run_at,
                "last_transfer_id": last_transfer_id,
                "next_run_at": next_run_at,
                "note": note,
                "recipient": recipient,
                "repeat": repeat,
                "runs": runs,
                "start_at": start_at,
                "status": status,
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

        def _parse_end_after(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        end_after = _parse_end_after(d.pop("end_after"))

        id = UUID(d.pop("id"))

        def _parse_last_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_outcome = _parse_last_outcome(d.pop("last_outcome"))

        def _parse_last_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at"))

        def _parse_last_transfer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_transfer_id_type_0 = UUID(data)

                return last_transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        last_transfer_id = _parse_last_transfer_id(d.pop("last_transfer_id"))

        def _parse_next_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_run_at = _parse_next_run_at(d.pop("next_run_at"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        recipient = Party.from_dict(d.pop("recipient"))

        repeat = ScheduledTransferRepeat(d.pop("repeat"))

        runs = d.pop("runs")

        start_at = datetime.datetime.fromisoformat(d.pop("start_at"))

        status = ScheduledTransferStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        scheduled_transfer = cls(
            amount=amount,
            created_at=created_at,
            currency=currency,
            end_after=end_after,
            id=id,
            last_outcome=last_outcome,
            last_run_at=last_run_at,
            last_transfer_id=last_transfer_id,
            next_run_at=next_run_at,
            note=note,
            recipient=recipient,
            repeat=repeat,
            runs=runs,
            start_at=start_at,
            status=status,
            updated_at=updated_at,
        )

        scheduled_transfer.additional_properties = d
        return scheduled_transfer

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
