from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PasswordResetRequest")


@_attrs_define
class PasswordResetRequest:
    """
    Attributes:
        code (str):
        new_password (str):
        username (str):
    """

    code: str
    new_password: str
    username: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        new_password = self.new_password

        username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "new_password": new_password,
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        new_password = d.pop("new_password")

        username = d.pop("username")

        password_reset_request = cls(
            code=code,
            new_password=new_password,
            username=username,
        )

        return password_reset_request
