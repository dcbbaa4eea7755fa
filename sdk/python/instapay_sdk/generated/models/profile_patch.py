from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preferences_patch import PreferencesPatch


T = TypeVar("T", bound="ProfilePatch")


@_attrs_define
class ProfilePatch:
    """Only these may change; anything else (user_id, email, roles, balance...) is refused with 422.

    Attributes:
        full_name (None | str | Unset):
        handle (None | str | Unset):
        preferences (None | PreferencesPatch | Unset):
    """

    full_name: None | str | Unset = UNSET
    handle: None | str | Unset = UNSET
    preferences: None | PreferencesPatch | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.preferences_patch import PreferencesPatch  # noqa: PLC0415

        full_name: None | str | Unset
        if isinstance(self.full_name, Unset):
            full_name = UNSET
        else:
            full_name = self.full_name

        handle: None | str | Unset
        if isinstance(self.handle, Unset):
            handle = UNSET
        else:
            handle = self.handle

        preferences: dict[str, Any] | None | Unset
        if isinstance(self.preferences, Unset):
            preferences = UNSET
        elif isinstance(self.preferences, PreferencesPatch):
            preferences = self.preferences.to_dict()
        else:
            preferences = self.preferences

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if full_name is not UNSET:
            field_dict["full_name"] = full_name
        if handle is not UNSET:
            field_dict["handle"] = handle
        if preferences is not UNSET:
            field_dict["preferences"] = preferences

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preferences_patch import PreferencesPatch  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_full_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        full_name = _parse_full_name(d.pop("full_name", UNSET))

        def _parse_handle(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        handle = _parse_handle(d.pop("handle", UNSET))

        def _parse_preferences(data: object) -> None | PreferencesPatch | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                preferences_type_0 = PreferencesPatch.from_dict(data)

                return preferences_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreferencesPatch | Unset, data)

        preferences = _parse_preferences(d.pop("preferences", UNSET))

        profile_patch = cls(
            full_name=full_name,
            handle=handle,
            preferences=preferences,
        )

        return profile_patch
