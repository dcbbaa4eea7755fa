from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ResolvedPaymentLink")


@_attrs_define
class ResolvedPaymentLink:
    """Who a link pays (the verified, masked name: never the full name) and what it asks.

    Attributes:
        amount (None | str):
        display_name (None | str): Masked name (`Ahmed M.`), else the handle
        expires_at (datetime.datetime | None):
        handle (None | str):
        link_id (UUID):
        reference (None | str):
        single_use (bool):
        user_id (UUID):
    """

    amount: None | str
    display_name: None | str
    expires_at: datetime.datetime | None
    handle: None | str
    link_id: UUID
    reference: None | str
    single_use: bool
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount: None | str
        amount = self.amount

        display_name: None | str
        display_name = self.display_name

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        handle: None | str
        handle = self.handle

        link_id = str(self.link_id)

        reference: None | str
        reference = self.reference

        single_use = self.single_use

        user_id = str(self.user_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "display_name": display_name,
                "expires_at": expires_at,
                "handle": handle,
                "link_id": link_id,
                "reference": reference,
                "single_use": single_use,
                "user_id": user_id,
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

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))

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

        def _parse_handle(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        handle = _parse_handle(d.pop("handle"))

        link_id = UUID(d.pop("link_id"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        single_use = d.pop("single_use")

        user_id = UUID(d.pop("user_id"))

        resolved_payment_link = cls(
            amount=amount,
            display_name=display_name,
            expires_at=expires_at,
            handle=handle,
            link_id=link_id,
            reference=reference,
            single_use=single_use,
            user_id=user_id,
        )

        resolved_payment_link.additional_properties = d
        return resolved_payment_link

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
