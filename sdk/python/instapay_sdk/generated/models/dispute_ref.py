from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dispute_ref_reason import DisputeRefReason
from ..models.dispute_ref_status import DisputeRefStatus

T = TypeVar("T", bound="DisputeRef")


@_attrs_define
class DisputeRef:
    """
    Attributes:
        created_at (datetime.datetime): RFC 3339, UTC
        id (UUID):
        reason (DisputeRefReason):
        reference (str):
        status (DisputeRefStatus):
    """

    created_at: datetime.datetime
    id: UUID
    reason: DisputeRefReason
    reference: str
    status: DisputeRefStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = str(self.id)

        reason = self.reason.value

        reference = self.reference

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "reason": reason,
                "reference": reference,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        reason = DisputeRefReason(d.pop("reason"))

        reference = d.pop("reference")

        status = DisputeRefStatus(d.pop("status"))

        dispute_ref = cls(
            created_at=created_at,
            id=id,
            reason=reason,
            reference=reference,
            status=status,
        )

        dispute_ref.additional_properties = d
        return dispute_ref

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
