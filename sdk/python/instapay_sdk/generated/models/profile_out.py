from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.preferences import Preferences


T = TypeVar("T", bound="ProfileOut")


@_attrs_define
class ProfileOut:
    """
    Attributes:
        created_at (datetime.datetime):
        email (str):
        email_verified (bool):
        full_name (str):
        handle (str):
        phone (str):
        phone_verified (bool):
        preferences (Preferences):
        user_id (UUID):
    """

    created_at: datetime.datetime
    email: str
    email_verified: bool
    full_name: str
    handle: str
    phone: str
    phone_verified: bool
    preferences: Preferences
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        email_verified = self.email_verified

        full_name = self.full_name

        handle = self.handle

        phone = self.phone

        phone_verified = self.phone_verified

        preferences = self.preferences.to_dict()

        user_id = str(self.user_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "email": email,
                "email_verified": email_verified,
                "full_name": full_name,
                "handle": handle,
                "phone": phone,
                "phone_verified": phone_verified,
                "preferences": preferences,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preferences import Preferences  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        email_verified = d.pop("email_verified")

        full_name = d.pop("full_name")

        handle = d.pop("handle")

        phone = d.pop("phone")

        phone_verified = d.pop("phone_verified")

        preferences = Preferences.from_dict(d.pop("preferences"))

        user_id = UUID(d.pop("user_id"))

        profile_out = cls(
            created_at=created_at,
            email=email,
            email_verified=email_verified,
            full_name=full_name,
            handle=handle,
            phone=phone,
            phone_verified=phone_verified,
            preferences=preferences,
            user_id=user_id,
        )

        profile_out.additional_properties = d
        return profile_out

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
