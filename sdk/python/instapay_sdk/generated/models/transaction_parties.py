from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="TransactionParties")


@_attrs_define
class TransactionParties:
    """
    Attributes:
        recipient (None | Party): Who was paid; null for a withdrawal (money leaving)
        sender (None | Party): Who paid; null for a top-up (money from outside)
    """

    recipient: None | Party
    sender: None | Party
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.party import Party  # noqa: PLC0415

        recipient: dict[str, Any] | None
        if isinstance(self.recipient, Party):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient

        sender: dict[str, Any] | None
        if isinstance(self.sender, Party):
            sender = self.sender.to_dict()
        else:
            sender = self.sender

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recipient": recipient,
                "sender": sender,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_recipient(data: object) -> None | Party:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recipient_type_0 = Party.from_dict(data)

                return recipient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Party, data)

        recipient = _parse_recipient(d.pop("recipient"))

        def _parse_sender(data: object) -> None | Party:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sender_type_0 = Party.from_dict(data)

                return sender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Party, data)

        sender = _parse_sender(d.pop("sender"))

        transaction_parties = cls(
            recipient=recipient,
            sender=sender,
        )

        transaction_parties.additional_properties = d
        return transaction_parties

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
