from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_link_status import PaymentLinkStatus

T = TypeVar("T", bound="PaymentLink")


@_attrs_define
class PaymentLink:
    """
    Attributes:
        amount (None | str): The exact amount to pay; null: the payer chooses
        created_at (datetime.datetime): RFC 3339, UTC
        expires_at (datetime.datetime | None):
        id (UUID):
        paid_transfer_id (None | UUID): The transfer that used a single-use link
        qr_svg (str): The URL as a QR code, an SVG document
        reference (None | str):
        single_use (bool):
        status (PaymentLinkStatus):
        token (str): Signed, URL-safe; what the QR code and `url` carry
        url (str): `<public base url>/pay/<token>`
    """

    amount: None | str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    id: UUID
    paid_transfer_id: None | UUID
    qr_svg: str
    reference: None | str
    single_use: bool
    status: PaymentLinkStatus
    token: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount: None | str
        amount = self.amount

        created_at = self.created_at.isoformat()

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        id = str(self.id)

        paid_transfer_id: None | str
        if isinstance(self.paid_transfer_id, UUID):
            paid_transfer_id = str(self.paid_transfer_id)
        else:
            paid_transfer_id = self.paid_transfer_id

        qr_svg = self.qr_svg

        reference: None | str
        reference = self.reference

        single_use = self.single_use

        status = self.status.value

        token = self.token

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "expires_at": expires_at,
                "id": id,
                "paid_transfer_id": paid_transfer_id,
                "qr_svg": qr_svg,
                "reference": reference,
                "single_use": single_use,
                "status": status,
                "token": token,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        amount = _parse_amount(d.pop("amount"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        id = UUID(d.pop("id"))

        def _parse_paid_transfer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_transfer_id_type_0 = UUID(data)

                return paid_transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        paid_transfer_id = _parse_paid_transfer_id(d.pop("paid_transfer_id"))

        qr_svg = d.pop("qr_svg")

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        single_use = d.pop("single_use")

        status = PaymentLinkStatus(d.pop("status"))

        token = d.pop("token")

        url = d.pop("url")

        payment_link = cls(
            amount=amount,
            created_at=created_at,
            expires_at=expires_at,
            id=id,
            paid_transfer_id=paid_transfer_id,
            qr_svg=qr_svg,
            reference=reference,
            single_use=single_use,
            status=status,
            token=token,
            url=url,
        )

        payment_link.additional_properties = d
        return payment_link

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
