from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.client_create_request_scopes_item import ClientCreateRequestScopesItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientCreateRequest")


@_attrs_define
class ClientCreateRequest:
    """
    Attributes:
        name (str):
        password (str):
        scopes (list[ClientCreateRequestScopesItem]):
        pin (None | str | Unset): The transaction PIN; required when `scopes` holds transfers:write or wallet:withdraw
    """

    name: str
    password: str
    scopes: list[ClientCreateRequestScopesItem]
    pin: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        password = self.password

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        pin: None | str | Unset
        if isinstance(self.pin, Unset):
            pin = UNSET
        else:
            pin = self.pin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "password": password,
                "scopes": scopes,
            }
        )
        if pin is not UNSET:
            field_dict["pin"] = pin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        password = d.pop("password")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = ClientCreateRequestScopesItem(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_pin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pin = _parse_pin(d.pop("pin", UNSET))

        client_create_request = cls(
            name=name,
            password=password,
            scopes=scopes,
            pin=pin,
        )

        return client_create_request
