from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_entry_details import AuditEntryDetails


T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """
    Attributes:
        action (str): Dotted: `auth.sign_in`, `wallet.freeze.proposed`, ...
        actor (str): A user id, or `system`
        actor_role (str): user, admin, api_client, anonymous, operator or system
        at (str): RFC 3339, UTC, microseconds
        details (AuditEntryDetails):
        hash_ (str): SHA-256 over the row's fields and prev_hash
        id (int): The row's position in that service's chain
        ip (None | str):
        prev_hash (str): The hash of the row before it in the chain
        request_id (None | str):
        service (str): The service whose chain holds the row (auth, transaction, notification)
        subject (None | str): What it was done to: a user, an approval, an endpoint ...
    """

    action: str
    actor: str
    actor_role: str
    at: str
    details: AuditEntryDetails
    hash_: str
    id: int
    ip: None | str
    prev_hash: str
    request_id: None | str
    service: str
    subject: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        actor_role = self.actor_role

        at = self.at

        details = self.details.to_dict()

        hash_ = self.hash_

        id = self.id

        ip: None | str
        ip = self.ip

        prev_hash = self.prev_hash

        request_id: None | str
        request_id = self.request_id

        service = self.service

        subject: None | str
        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "actor_role": actor_role,
                "at": at,
                "details": details,
                "hash": hash_,
                "id": id,
                "ip": ip,
                "prev_hash": prev_hash,
                "request_id": request_id,
                "service": service,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_details import AuditEntryDetails  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        actor_role = d.pop("actor_role")

        at = d.pop("at")

        details = AuditEntryDetails.from_dict(d.pop("details"))

        hash_ = d.pop("hash")

        id = d.pop("id")

        def _parse_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip = _parse_ip(d.pop("ip"))

        prev_hash = d.pop("prev_hash")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        service = d.pop("service")

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        audit_entry = cls(
            action=action,
            actor=actor,
            actor_role=actor_role,
            at=at,
            details=details,
            hash_=hash_,
            id=id,
            ip=ip,
            prev_hash=prev_hash,
            request_id=request_id,
            service=service,
            subject=subject,
        )

        audit_entry.additional_properties = d
        return audit_entry

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
