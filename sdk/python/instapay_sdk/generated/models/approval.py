from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.approval_status import ApprovalStatus

if TYPE_CHECKING:
    from ..models.approval_payload import ApprovalPayload
    from ..models.approval_result_type_0 import ApprovalResultType0


T = TypeVar("T", bound="Approval")


@_attrs_define
class Approval:
    """An admin action waiting for, or decided by, a second admin.

    Attributes:
        action (str): What is to be done: wallet.freeze, wallet.unfreeze
        approval_id (UUID):
        approved_at (datetime.datetime | None):
        approved_by (None | UUID):
        expires_at (datetime.datetime): A pending approval can be approved until then
        payload (ApprovalPayload): Its arguments, e.g. {reason}
        proposed_at (datetime.datetime): RFC 3339, UTC
        proposed_by (UUID):
        rejected_at (datetime.datetime | None):
        rejected_by (None | UUID):
        result (ApprovalResultType0 | None): What carrying it out answered (a wallet action: the wallet)
        status (ApprovalStatus):
        subject (str): What it acts on (for a wallet action, the owner's user id)
    """

    action: str
    approval_id: UUID
    approved_at: datetime.datetime | None
    approved_by: None | UUID
    expires_at: datetime.datetime
    payload: ApprovalPayload
    proposed_at: datetime.datetime
    proposed_by: UUID
    rejected_at: datetime.datetime | None
    rejected_by: None | UUID
    result: ApprovalResultType0 | None
    status: ApprovalStatus
    subject: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_result_type_0 import ApprovalResultType0  # noqa: PLC0415

        action = self.action

        approval_id = str(self.approval_id)

        approved_at: None | str
        if isinstance(self.approved_at, datetime.datetime):
            approved_at = self.approved_at.isoformat()
        else:
            approved_at = self.approved_at

        approved_by: None | str
        if isinstance(self.approved_by, UUID):
            approved_by = str(self.approved_by)
        else:
            approved_by = self.approved_by

        expires_at = self.expires_at.isoformat()

        payload = self.payload.to_dict()

        proposed_at = self.proposed_at.isoformat()

        proposed_by = str(self.proposed_by)

        rejected_at: None | str
        if isinstance(self.rejected_at, datetime.datetime):
            rejected_at = self.rejected_at.isoformat()
        else:
            rejected_at = self.rejected_at

        rejected_by: None | str
        if isinstance(self.rejected_by, UUID):
            rejected_by = str(self.rejected_by)
        else:
            rejected_by = self.rejected_by

        result: dict[str, Any] | None
        if isinstance(self.result, ApprovalResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        status = self.status.value

        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "approval_id": approval_id,
                "approved_at": approved_at,
                "approved_by": approved_by,
                "expires_at": expires_at,
                "payload": payload,
                "proposed_at": proposed_at,
                "proposed_by": proposed_by,
                "rejected_at": rejected_at,
                "rejected_by": rejected_by,
                "result": result,
                "status": status,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_payload import ApprovalPayload  # noqa: PLC0415
        from ..models.approval_result_type_0 import ApprovalResultType0  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        approval_id = UUID(d.pop("approval_id"))

        def _parse_approved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                approved_at_type_0 = datetime.datetime.fromisoformat(data)

                return approved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        approved_at = _parse_approved_at(d.pop("approved_at"))

        def _parse_approved_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                approved_by_type_0 = UUID(data)

                return approved_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        approved_by = _parse_approved_by(d.pop("approved_by"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        payload = ApprovalPayload.from_dict(d.pop("payload"))

        proposed_at = datetime.datetime.fromisoformat(d.pop("proposed_at"))

        proposed_by = UUID(d.pop("proposed_by"))

        def _parse_rejected_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rejected_at_type_0 = datetime.datetime.fromisoformat(data)

                return rejected_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        rejected_at = _parse_rejected_at(d.pop("rejected_at"))

        def _parse_rejected_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rejected_by_type_0 = UUID(data)

                return rejected_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        rejected_by = _parse_rejected_by(d.pop("rejected_by"))

        def _parse_result(data: object) -> ApprovalResultType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ApprovalResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApprovalResultType0 | None, data)

        result = _parse_result(d.pop("result"))

        status = ApprovalStatus(d.pop("status"))

        subject = d.pop("subject")

        approval = cls(
            action=action,
            approval_id=approval_id,
            approved_at=approved_at,
            approved_by=approved_by,
            expires_at=expires_at,
            payload=payload,
            proposed_at=proposed_at,
            proposed_by=proposed_by,
            rejected_at=rejected_at,
            rejected_by=rejected_by,
            result=result,
            status=status,
            subject=subject,
        )

        approval.additional_properties = d
        return approval

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
