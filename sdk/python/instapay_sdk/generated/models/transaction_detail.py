from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transaction_detail_direction import TransactionDetailDirection
from ..models.transaction_detail_status import TransactionDetailStatus
from ..models.transaction_detail_type import TransactionDetailType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dispute_ref import DisputeRef
    from ..models.funding_source_ref import FundingSourceRef
    from ..models.party import Party
    from ..models.refund_ref import RefundRef
    from ..models.timeline_step import TimelineStep
    from ..models.transaction_parties import TransactionParties


T = TypeVar("T", bound="TransactionDetail")


@_attrs_define
class TransactionDetail:
    """The history row with everything a receipt shows.

    Attributes:
        amount (str): Decimal string with 2 fraction digits (never a JSON number)
        balance_after (str): Decimal string with 2 fraction digits (never a JSON number)
        counterparty (None | Party): The other user of a transfer; null for a top-up or withdrawal
        created_at (datetime.datetime): RFC 3339, UTC
        currency (str): ISO 4217
        direction (TransactionDetailDirection):
        dispute_id (None | UUID): The latest dispute about this transfer, if any
        fee (str): What the platform charged for it (none today: 0.00)
        id (UUID):
        note (None | str):
        parties (TransactionParties):
        payment_link_id (None | UUID): The payment link this transfer paid, if any
        reference (str): The transaction's human reference (both sides of a transfer see the same one)
        refund_of (None | UUID): A refund: the transfer it gives money back for
        schedule_id (None | UUID): The scheduled transfer that made it, else null
        status (TransactionDetailStatus): A top-up or withdrawal is `pending` until the provider confirms it
            (`completed`) or not (`failed`)
        timeline (list[TimelineStep]):
        transfer_id (None | UUID): The transfer's id for type `transfer`, else null
        type_ (TransactionDetailType): A refund is a `transfer` with `refund_of`; a `reversal` is money an operator
            moved back on a dispute (`reversal_of`)
        dispute (DisputeRef | None | Unset): The latest dispute about this transfer
        funding_source (FundingSourceRef | None | Unset): The card or bank account of a top-up or withdrawal, else null
        payment_request_id (None | Unset | UUID): The payment request this transfer paid (a transfer only), else null
        refundable_amount (None | str | Unset): What the caller may still refund: set for the recipient of a completed
            transfer, else null
        refunded_amount (None | str | Unset): A transfer: what its refunds and reversal gave back so far; else null
        refunds (list[RefundRef] | Unset): A transfer's refunds and reversal, oldest first (empty otherwise)
        reversal_of (None | Unset | UUID): A reversal: the transfer it reverses
    """

    amount: str
    balance_after: str
    counterparty: None | Party
    created_at: datetime.datetime
    currency: str
    direction: TransactionDetailDirection
    dispute_id: None | UUID
    fee: str
    id: UUID
    note: None | str
    parties: TransactionParties
    payment_link_id: None | UUID
    reference: str
    refund_of: None | UUID
    schedule_id: None | UUID
    status: TransactionDetailStatus
    timeline: list[TimelineStep]
    transfer_id: None | UUID
    type_: TransactionDetailType
    dispute: DisputeRef | None | Unset = UNSET
    funding_source: FundingSourceRef | None | Unset = UNSET
    payment_request_id: None | Unset | UUID = UNSET
    refundable_amount: None | str | Unset = UNSET
    refunded_amount: None | str | Unset = UNSET
    refunds: list[RefundRef] | Unset = UNSET
    reversal_of: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.dispute_ref import DisputeRef  # noqa: PLC0415
        from ..models.funding_source_ref import FundingSourceRef  # noqa: PLC0415
        from ..models.party import Party  # noqa: PLC0415

        amount = self.amount

        balance_after = self.balance_after

        counterparty: dict[str, Any] | None
        if isinstance(self.counterparty, Party):
            counterparty = self.counterparty.to_dict()
        else:
            counterparty = self.counterparty

        created_at = self.created_at.isoformat()

        currency = self.currency

        direction = self.direction.value

        dispute_id: None | str
        if isinstance(self.dispute_id, UUID):
            dispute_id = str(self.dispute_id)
        else:
            dispute_id = self.dispute_id

        fee = self.fee

        id = str(self.id)

        note: None | str
        note = self.note

        parties = self.parties.to_dict()

        payment_link_id: None | str
        if isinstance(self.payment_link_id, UUID):
            payment_link_id = str(self.payment_link_id)
        else:
            payment_link_id = self.payment_link_id

        reference = self.reference

        refund_of: None | str
        if isinstance(self.refund_of, UUID):
            refund_of = str(self.refund_of)
        else:
            refund_of = self.refund_of

        schedule_id: None | str
        if isinstance(self.schedule_id, UUID):
            schedule_id = str(self.schedule_id)
        else:
            schedule_id = self.schedule_id

        status = self.status.value

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)

        transfer_id: None | str
        if isinstance(self.transfer_id, UUID):
            transfer_id = str(self.transfer_id)
        else:
            transfer_id = self.transfer_id

        type_ = self.type_.value

        dispute: dict[str, Any] | None | Unset
        if isinstance(self.dispute, Unset):
            dispute = UNSET
        elif isinstance(self.dispute, DisputeRef):
            dispute = self.dispute.to_dict()
        else:
            dispute = self.dispute

        funding_source: dict[str, Any] | None | Unset
        if isinstance(self.funding_source, Unset):
            funding_source = UNSET
        elif isinstance(self.funding_source, FundingSourceRef):
            funding_source = self.funding_source.to_dict()
        else:
            funding_source = self.funding_source

        payment_request_id: None | str | Unset
        if isinstance(self.payment_request_id, Unset):
            payment_request_id = UNSET
        elif isinstance(self.payment_request_id, UUID):
            payment_request_id = str(self.payment_request_id)
        else:
            payment_request_id = self.payment_request_id

        refundable_amount: None | str | Unset
        if isinstance(self.refundable_amount, Unset):
            refundable_amount = UNSET
        else:
            refundable_amount = self.refundable_amount

        refunded_amount: None | str | Unset
        if isinstance(self.refunded_amount, Unset):
            refunded_amount = UNSET
        else:
            refunded_amount = self.refunded_amount

        refunds: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.refunds, Unset):
            refunds = []
            for refunds_item_data in self.refunds:
                refunds_item = refunds_item_data.to_dict()
                refunds.append(refunds_item)

        reversal_of: None | str | Unset
        if isinstance(self.reversal_of, Unset):
            reversal_of = UNSET
        elif isinstance(self.reversal_of, UUID):
            reversal_of = str(self.reversal_of)
        else:
            reversal_of = self.reversal_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "balance_after": balance_after,
                "counterparty": counterparty,
                "created_at": created_at,
                "currency": currency,
                "direction": direction,
                "dispute_id": dispute_id,
                "fee": fee,
                "id": id,
                "note": note,
                "parties": parties,
                "payment_link_id": payment_link_id,
                "reference": reference,
                "refund_of": refund_of,
                "schedule_id": schedule_id,
                "status": status,
                "timeline": timeline,
                "transfer_id": transfer_id,
                "type": type_,
            }
        )
        if dispute is not UNSET:
            field_dict["dispute"] = dispute
        if funding_source is not UNSET:
            field_dict["funding_source"] = funding_source
        if payment_request_id is not UNSET:
            field_dict["payment_request_id"] = payment_request_id
        if refundable_amount is not UNSET:
            field_dict["refundable_amount"] = refundable_amount
        if refunded_amount is not UNSET:
            field_dict["refunded_amount"] = refunded_amount
        if refunds is not UNSET:
            field_dict["refunds"] = refunds
        if reversal_of is not UNSET:
            field_dict["reversal_of"] = reversal_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dispute_ref import DisputeRef  # noqa: PLC0415
        from ..models.funding_source_ref import FundingSourceRef  # noqa: PLC0415
        from ..models.party import Party  # noqa: PLC0415
        from ..models.refund_ref import RefundRef  # noqa: PLC0415
        from ..models.timeline_step import TimelineStep  # noqa: PLC0415
        from ..models.transaction_parties import TransactionParties  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        balance_after = d.pop("balance_after")

        def _parse_counterparty(data: object) -> None | Party:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                counterparty_type_0 = Party.from_dict(data)

                return counterparty_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Party, data)

        counterparty = _parse_counterparty(d.pop("counterparty"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        direction = TransactionDetailDirection(d.pop("direction"))

        def _parse_dispute_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dispute_id_type_0 = UUID(data)

                return dispute_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        dispute_id = _parse_dispute_id(d.pop("dispute_id"))

        fee = d.pop("fee")

        id = UUID(d.pop("id"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        parties = TransactionParties.from_dict(d.pop("parties"))

        def _parse_payment_link_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_link_id_type_0 = UUID(data)

                return payment_link_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        payment_link_id = _parse_payment_link_id(d.pop("payment_link_id"))

        reference = d.pop("reference")

        def _parse_refund_of(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_of_type_0 = UUID(data)

                return refund_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        refund_of = _parse_refund_of(d.pop("refund_of"))

        def _parse_schedule_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                schedule_id_type_0 = UUID(data)

                return schedule_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        schedule_id = _parse_schedule_id(d.pop("schedule_id"))

        status = TransactionDetailStatus(d.pop("status"))

        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in _timeline:
            timeline_item = TimelineStep.from_dict(timeline_item_data)

            timeline.append(timeline_item)

        def _parse_transfer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transfer_id_type_0 = UUID(data)

                return transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        transfer_id = _parse_transfer_id(d.pop("transfer_id"))

        type_ = TransactionDetailType(d.pop("type"))

        def _parse_dispute(data: object) -> DisputeRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dispute_type_0 = DisputeRef.from_dict(data)

                return dispute_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DisputeRef | None | Unset, data)

        dispute = _parse_dispute(d.pop("dispute", UNSET))

        def _parse_funding_source(data: object) -> FundingSourceRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                funding_source_type_0 = FundingSourceRef.from_dict(data)

                return funding_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FundingSourceRef | None | Unset, data)

        funding_source = _parse_funding_source(d.pop("funding_source", UNSET))

        def _parse_payment_request_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_request_id_type_0 = UUID(data)

                return payment_request_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        payment_request_id = _parse_payment_request_id(d.pop("payment_request_id", UNSET))

        def _parse_refundable_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refundable_amount = _parse_refundable_amount(d.pop("refundable_amount", UNSET))

        def _parse_refunded_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refunded_amount = _parse_refunded_amount(d.pop("refunded_amount", UNSET))

        _refunds = d.pop("refunds", UNSET)
        refunds: list[RefundRef] | Unset = UNSET
        if _refunds is not UNSET:
            refunds = []
            for refunds_item_data in _refunds:
                refunds_item = RefundRef.from_dict(refunds_item_data)

                refunds.append(refunds_item)

        def _parse_reversal_of(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reversal_of_type_0 = UUID(data)

                return reversal_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        reversal_of = _parse_reversal_of(d.pop("reversal_of", UNSET))

        transaction_detail = cls(
            amount=amount,
            balance_after=balance_after,
            counterparty=counterparty,
            created_at=created_at,
            currency=currency,
            direction=direction,
            dispute_id=dispute_id,
            fee=fee,
            id=id,
            note=note,
            parties=parties,
            payment_link_id=payment_link_id,
            reference=reference,
            refund_of=refund_of,
            schedule_id=schedule_id,
            status=status,
            timeline=timeline,
            transfer_id=transfer_id,
            type_=type_,
            dispute=dispute,
            funding_source=funding_source,
            payment_request_id=payment_request_id,
            refundable_amount=refundable_amount,
            refunded_amount=refunded_amount,
            refunds=refunds,
            reversal_of=reversal_of,
        )

        transaction_detail.additional_properties = d
        return transaction_detail

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
