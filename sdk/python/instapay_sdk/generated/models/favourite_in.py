from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FavouriteIn")


@_attrs_define
class FavouriteIn:
    """
    Attributes:
        recipient (str): Handle, phone or e-mail
        nickname (None | str | Unset):
    """

    recipient: str
    nickname: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recipient = self.recipient

        nickname: None | str | Unset
        if isinstance(self.nickname, Unset):
            nickname = UNSET
        else:
            nickname = self.nickname

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recipient": recipient,
            }
        )
        if nickname is not UNSET:
            field_dict["nickname"] = nickname

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        recipient = d.pop("recipient")

        def _parse_nickname(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        nickname = _parse_nickname(d.pop("nickname", UNSET))

        favourite_in = cls(
            recipient=recipient,
            nickname=nickname,
        )

        return favourite_in
