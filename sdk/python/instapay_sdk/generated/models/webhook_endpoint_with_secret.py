from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_endpoint_with_secret_disabled_reason_type_0 import WebhookEndpointWithSecretDisabledReasonType0
from ..models.webhook_endpoint_with_secret_status import WebhookEndpointWithSecretStatus

T = TypeVar("T", bound="WebhookEndpointWithSecret")


@_attrs_define
class WebhookEndpointWithSecret:
    """
    Attributes:
        client_id (None | str): The API client it belongs to; null for the user's own endpoints
        created_at (datetime.datetime):
        description (None | str):
        disabled_reason (None | WebhookEndpointWithSecretDisabledReasonType0): Why it is disabled: by the user, the
            receiver answered 410 Gone, every retry failed, or its API client was deleted or revoked (for good: it cannot be
            enabled again)
        events (list[str]):
        id (UUID):
        previous_secret_expires_at (None | str): Until when the secret before the last rotation also signs
        secret (str): `whsec_` + base64; shown only in this response
        status (WebhookEndpointWithSecretStatus):
        updated_at (datetime.datetime):
        url (str):
    """

    client_id: None | str
    created_at: datetime.datetime
    description: None | str
    disabled_reason: None | WebhookEndpointWithSecretDisabledReasonType0
    events: list[str]
    id: UUID
    previous_secret_expires_at: None | str
    secret: str
    status: WebhookEndpointWithSecretStatus
    updated_at: datetime.datetime
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id: None | str
        client_id = self.client_id

        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        disabled_reason: None | str
        if isinstance(self.disabled_reason, WebhookEndpointWithSecretDisabledReasonType0):
            disabled_reason = self.disabled_reason.value
        else:
            disabled_reason = self.disabled_reason

        events = self.events

        id = str(self.id)

        previous_secret_expires_at: None | str
        previous_secret_expires_at = self.previous_secret_expires_at

        secret = self.secret

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "created_at": created_at,
                "description": description,
                "disabled_reason": disabled_reason,
                "events": events,
                "id": id,
                "previous_secret_expires_at": previous_secret_expires_at,
                "secret": secret,
                "status": status,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_client_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_id = _parse_client_id(d.pop("client_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_disabled_reason(data: object) -> None | WebhookEndpointWithSecretDisabledReasonType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disabled_reason_type_0 = WebhookEndpointWithSecretDisabledReasonType0(data)

                return disabled_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | WebhookEndpointWithSecretDisabledReasonType0, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        events = cast(list[str], d.pop("events"))

        id = UUID(d.pop("id"))

        def _parse_previous_secret_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(d.pop("previous_secret_expires_at"))

        secret = d.pop("secret")

        status = WebhookEndpointWithSecretStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        webhook_endpoint_with_secret = cls(
            client_id=client_id,
            created_at=created_at,
            description=description,
            disabled_reason=disabled_reason,
            events=events,
            id=id,
            previous_secret_expires_at=previous_secret_expires_at,
            secret=secret,
            status=status,
            updated_at=updated_at,
            url=url,
        )

        webhook_endpoint_with_secret.additional_properties = d
        return webhook_endpoint_with_secret

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
