from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.transfer_data import TransferData


T = TypeVar("T", bound="TransferReceivedWebhook")


@_attrs_define
class TransferReceivedWebhook:
    """The body of a `transfer.received` webhook.

    Attributes:
        data (TransferData):
        timestamp (datetime.datetime): When the event happened (RFC 3339)
        type_ (Literal['transfer.received']):
    """

    data: TransferData
    timestamp: datetime.datetime
    type_: Literal["transfer.received"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        timestamp = self.timestamp.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "timestamp": timestamp,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transfer_data import TransferData  # noqa: PLC0415

        d = dict(src_dict)
        data = TransferData.from_dict(d.pop("data"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        type_ = cast(Literal["transfer.received"], d.pop("type"))
        if type_ != "transfer.received":
            raise ValueError(f"type must match const 'transfer.received', got '{type_}'")

        transfer_received_webhook = cls(
            data=data,
            timestamp=timestamp,
            type_=type_,
        )

        transfer_received_webhook.additional_properties = d
        return transfer_received_webhook

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
