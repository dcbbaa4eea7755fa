from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PhoneChangeRequest")


@_attrs_define
class PhoneChangeRequest:
    """
    Attributes:
        password (str):
        phone (str): E.164, or the local Egyptian form 01xxxxxxxxx (stored and shown as E.164)
    """

    password: str
    phone: str

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        phone = self.phone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
                "phone": phone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        phone = d.pop("phone")

        phone_change_request = cls(
            password=password,
            phone=phone,
        )

        return phone_change_request
