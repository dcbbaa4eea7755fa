from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scheduled_transfer_patch_status_type_0 import ScheduledTransferPatchStatusType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScheduledTransferPatch")


@_attrs_define
class ScheduledTransferPatch:
    """
    Attributes:
        amount (float | None | str | Unset): Applies from the next occurrence on; needs `pin`
        pin (None | str | Unset):
        status (None | ScheduledTransferPatchStatusType0 | Unset):
    """

    amount: float | None | str | Unset = UNSET
    pin: None | str | Unset = UNSET
    status: None | ScheduledTransferPatchStatusType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        pin: None | str | Unset
        if isinstance(self.pin, Unset):
            pin = UNSET
        else:
            pin = self.pin

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, ScheduledTransferPatchStatusType0):
            status = self.status.value
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if pin is not UNSET:
            field_dict["pin"] = pin
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_pin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pin = _parse_pin(d.pop("pin", UNSET))

        def _parse_status(data: object) -> None | ScheduledTransferPatchStatusType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = ScheduledTransferPatchStatusType0(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScheduledTransferPatchStatusType0 | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        scheduled_transfer_patch = cls(
            amount=amount,
            pin=pin,
            status=status,
        )

        return scheduled_transfer_patch
