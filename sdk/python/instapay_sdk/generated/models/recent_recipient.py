from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="RecentRecipient")


@_attrs_define
class RecentRecipient:
    """
    Attributes:
        last_paid_at (datetime.datetime): RFC 3339, UTC
        recipient (Party): The other side of a transfer or payment request, as the user service named it then.
    """

    last_paid_at: datetime.datetime
    recipient: Party
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        last_paid_at = self.last_paid_at.isoformat()

        recipient = self.recipient.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "last_paid_at": last_paid_at,
                "recipient": recipient,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party  # noqa: PLC0415

        d = dict(src_dict)
        last_paid_at = datetime.datetime.fromisoformat(d.pop("last_paid_at"))

        recipient = Party.from_dict(d.pop("recipient"))

        recent_recipient = cls(
            last_paid_at=last_paid_at,
            recipient=recipient,
        )

        recent_recipient.additional_properties = d
        return recent_recipient

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
