from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.preferences_language import PreferencesLanguage

T = TypeVar("T", bound="Preferences")


@_attrs_define
class Preferences:
    """
    Attributes:
        language (PreferencesLanguage):
        notify_email (bool):
        notify_push (bool):
        notify_sms (bool):
    """

    language: PreferencesLanguage
    notify_email: bool
    notify_push: bool
    notify_sms: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        language = self.language.value

        notify_email = self.notify_email

        notify_push = self.notify_push

        notify_sms = self.notify_sms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "language": language,
                "notify_email": notify_email,
                "notify_push": notify_push,
                "notify_sms": notify_sms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        language = PreferencesLanguage(d.pop("language"))

        notify_email = d.pop("notify_email")

        notify_push = d.pop("notify_push")

        notify_sms = d.pop("notify_sms")

        preferences = cls(
            language=language,
            notify_email=notify_email,
            notify_push=notify_push,
            notify_sms=notify_sms,
        )

        preferences.additional_properties = d
        return preferences

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
