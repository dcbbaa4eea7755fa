from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scheduled_transfer_in_repeat import ScheduledTransferInRepeat
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScheduledTransferIn")


@_attrs_define
class ScheduledTransferIn:
    """
    Attributes:
        amount (float | str): Above zero, at most 2 fraction digits, at most 18 integer digits; a decimal string
            ("125.50") is preferred to a JSON number
        recipient (str): Handle, phone or e-mail
        repeat (ScheduledTransferInRepeat): `monthly` keeps start_at's day of the month, clamped to shorter months (Jan
            31, Feb 28, Mar 31)
        start_at (datetime.datetime): The first run, RFC 3339 with an offset (stored and answered in UTC); in the
            future, at most 365 days ahead
        end_after (int | None | Unset): How many occurrences run (completed or failed transfers); omitted: until
            cancelled
        note (None | str | Unset):
        pin (None | str | Unset):
    """

    amount: float | str
    recipient: str
    repeat: ScheduledTransferInRepeat
    start_at: datetime.datetime
    end_after: int | None | Unset = UNSET
    note: None | str | Unset = UNSET
    pin: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        recipient = self.recipient

        repeat = self.repeat.value

        start_at = self.start_at.isoformat()

        end_after: int | None | Unset
        if isinstance(self.end_after, Unset):
            end_after = UNSET
        else:
            end_after = self.end_after

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        pin: None | str | Unset
        if isinstance(self.pin, Unset):
            pin = UNSET
        else:
            pin = self.pin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "recipient": recipient,
                "repeat": repeat,
                "start_at": start_at,
            }
        )
        if end_after is not UNSET:
            field_dict["end_after"] = end_after
        if note is not UNSET:
            field_dict["note"] = note
        if pin is not UNSET:
            field_dict["pin"] = pin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        recipient = d.pop("recipient")

        repeat = ScheduledTransferInRepeat(d.pop("repeat"))

        start_at = datetime.datetime.fromisoformat(d.pop("start_at"))

        def _parse_end_after(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        end_after = _parse_end_after(d.pop("end_after", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_pin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pin = _parse_pin(d.pop("pin", UNSET))

        scheduled_transfer_in = cls(
            amount=amount,
            recipient=recipient,
            repeat=repeat,
            start_at=start_at,
            end_after=end_after,
            note=note,
            pin=pin,
        )

        return scheduled_transfer_in
