from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.preferences_patch_language_type_0 import PreferencesPatchLanguageType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="PreferencesPatch")


@_attrs_define
class PreferencesPatch:
    """
    Attributes:
        language (None | PreferencesPatchLanguageType0 | Unset):
        notify_email (bool | None | Unset):
        notify_push (bool | None | Unset):
        notify_sms (bool | None | Unset):
    """

    language: None | PreferencesPatchLanguageType0 | Unset = UNSET
    notify_email: bool | None | Unset = UNSET
    notify_push: bool | None | Unset = UNSET
    notify_sms: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, PreferencesPatchLanguageType0):
            language = self.language.value
        else:
            language = self.language

        notify_email: bool | None | Unset
        if isinstance(self.notify_email, Unset):
            notify_email = UNSET
        else:
            notify_email = self.notify_email

        notify_push: bool | None | Unset
        if isinstance(self.notify_push, Unset):
            notify_push = UNSET
        else:
            notify_push = self.notify_push

        notify_sms: bool | None | Unset
        if isinstance(self.notify_sms, Unset):
            notify_sms = UNSET
        else:
            notify_sms = self.notify_sms

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if language is not UNSET:
            field_dict["language"] = language
        if notify_email is not UNSET:
            field_dict["notify_email"] = notify_email
        if notify_push is not UNSET:
            field_dict["notify_push"] = notify_push
        if notify_sms is not UNSET:
            field_dict["notify_sms"] = notify_sms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_language(data: object) -> None | PreferencesPatchLanguageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = PreferencesPatchLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreferencesPatchLanguageType0 | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_notify_email(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        notify_email = _parse_notify_email(d.pop("notify_email", UNSET))

        def _parse_notify_push(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        notify_push = _parse_notify_push(d.pop("notify_push", UNSET))

        def _parse_notify_sms(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        notify_sms = _parse_notify_sms(d.pop("notify_sms", UNSET))

        preferences_patch = cls(
            language=language,
            notify_email=notify_email,
            notify_push=notify_push,
            notify_sms=notify_sms,
        )

        return preferences_patch
