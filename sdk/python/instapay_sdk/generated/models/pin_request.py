from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PinRequest")


@_attrs_define
class PinRequest:
    """
    Attributes:
        password (str):
        pin (str):
    """

    password: str
    pin: str

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        pin = self.pin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
                "pin": pin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        pin = d.pop("pin")

        pin_request = cls(
            password=password,
            pin=pin,
        )

        return pin_request
