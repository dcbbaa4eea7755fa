from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PasswordForgotRequest")


@_attrs_define
class PasswordForgotRequest:
    """
    Attributes:
        username (str): e-mail, phone (E.164 or 01xxxxxxxxx) or handle
    """

    username: str

    def to_dict(self) -> dict[str, Any]:
        username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        username = d.pop("username")

        password_forgot_request = cls(
            username=username,
        )

        return password_forgot_request
