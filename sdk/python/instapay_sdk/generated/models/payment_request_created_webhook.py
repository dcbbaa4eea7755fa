from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.payment_request_data import PaymentRequestData


T = TypeVar("T", bound="PaymentRequestCreatedWebhook")


@_attrs_define
class PaymentRequestCreatedWebhook:
    """The body of a `payment_request.created` webhook.

    Attributes:
        data (PaymentRequestData):
        timestamp (datetime.datetime): When the event happened (RFC 3339)
        type_ (Literal['payment_request.created']):
    """

    data: PaymentRequestData
    timestamp: datetime.datetime
    type_: Literal["payment_request.created"]
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
        from ..models.payment_request_data import PaymentRequestData  # noqa: PLC0415

        d = dict(src_dict)
        data = PaymentRequestData.from_dict(d.pop("data"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        type_ = cast(Literal["payment_request.created"], d.pop("type"))
        if type_ != "payment_request.created":
            raise ValueError(f"type must match const 'payment_request.created', got '{type_}'")

        payment_request_created_webhook = cls(
            data=data,
            timestamp=timestamp,
            type_=type_,
        )

        payment_request_created_webhook.additional_properties = d
        return payment_request_created_webhook

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
