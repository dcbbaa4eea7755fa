from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transaction_direction import TransactionDirection
from ..models.transaction_status import TransactionStatus
from ..models.transaction_type import TransactionType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.funding_source_ref import FundingSourceRef
    from ..models.party import Party


T = TypeVar("T", bound="Transaction")


@_attrs_define
class Transaction:
    """One row of the history, from the caller's side; top-ups and withdrawals also answer one.

    Attributes:
        amount (str): Decimal string with 2 fraction digits (never a JSON number)
        balance_after (str): Decimal string with 2 fraction digits (never a JSON number)
        counterparty (None | Party): The other user of a transfer; null for a top-up or withdrawal
        created_at (datetime.datetime): RFC 3339, UTC
        currency (str): ISO 4217
        direction (TransactionDirection):
        id (UUID):
        note (None | str):
        reference (str): The transaction's human reference (both sides of a transfer see the same one)
        status (TransactionStatus): A top-up or withdrawal is `pending` until the provider confirms it (`completed`) or
            not (`failed`)
        transfer_id (None | UUID): The transfer's id for type `transfer`, else null
        type_ (TransactionType): A refund is a `transfer` with `refund_of`; a `reversal` is money an operator moved back
            on a dispute (`reversal_of`)
        funding_source (FundingSourceRef | None | Unset): The card or bank account of a top-up or withdrawal, else null
        payment_request_id (None | Unset | UUID): The payment request this transfer paid (a transfer only), else null
        refund_of (None | Unset | UUID): A refund: the transfer it gives money back for
        reversal_of (None | Unset | UUID): A reversal: the transfer it reverses
        schedule_id (None | Unset | UUID): The scheduled transfer that made this transfer, else null
    """

    amount: str
    balance_after: str
    counterparty: None | Party
    created_at: datetime.datetime
    currency: str
    direction: TransactionDirection
    id: UUID
    note: None | str
    reference: str
    status: TransactionStatus
    transfer_id: None | UUID
    type_: TransactionType
    funding_source: FundingSourceRef | None | Unset = UNSET
    payment_request_id: None | Unset | UUID = UNSET
    refund_of: None | Unset | UUID = UNSET
    reversal_of: None | Unset | UUID = UNSET
    schedule_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        id = str(self.id)

        note: None | str
        note = self.note

        reference = self.reference

        status = self.status.value

        transfer_id: None | str
        if isinstance(self.transfer_id, UUID):
            transfer_id = str(self.transfer_id)
        else:
            transfer_id = self.transfer_id

        type_ = self.type_.value

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

        refund_of: None | str | Unset
        if isinstance(self.refund_of, Unset):
            refund_of = UNSET
        elif isinstance(self.refund_of, UUID):
            refund_of = str(self.refund_of)
        else:
            refund_of = self.refund_of

        reversal_of: None | str | Unset
        if isinstance(self.reversal_of, Unset):
            reversal_of = UNSET
        elif isinstance(self.reversal_of, UUID):
            reversal_of = str(self.reversal_of)
        else:
            reversal_of = self.reversal_of

        schedule_id: None | str | Unset
        if isinstance(self.schedule_id, Unset):
            schedule_id = UNSET
        elif isinstance(self.schedule_id, UUID):
            schedule_id = str(self.schedule_id)
        else:
            schedule_id = self.schedule_id

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
                "id": id,
                "note": note,
                "reference": reference,
                "status": status,
                "transfer_id": transfer_id,
                "type": type_,
            }
        )
        if funding_source is not UNSET:
            field_dict["funding_source"] = funding_source
        if payment_request_id is not UNSET:
            field_dict["payment_request_id"] = payment_request_id
        if refund_of is not UNSET:
            field_dict["refund_of"] = refund_of
        if reversal_of is not UNSET:
            field_dict["reversal_of"] = reversal_of
        if schedule_id is not UNSET:
            field_dict["schedule_id"] = schedule_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.funding_source_ref import FundingSourceRef  # noqa: PLC0415
        from ..models.party import Party  # noqa: PLC0415

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

        direction = TransactionDirection(d.pop("direction"))

        id = UUID(d.pop("id"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        reference = d.pop("reference")

        status = TransactionStatus(d.pop("status"))

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

        type_ = TransactionType(d.pop("type"))

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

        def _parse_refund_of(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_of_type_0 = UUID(data)

                return refund_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        refund_of = _parse_refund_of(d.pop("refund_of", UNSET))

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

        def _parse_schedule_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                schedule_id_type_0 = UUID(data)

                return schedule_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        schedule_id = _parse_schedule_id(d.pop("schedule_id", UNSET))

        transaction = cls(
            amount=amount,
            balance_after=balance_after,
            counterparty=counterparty,
            created_at=created_at,
            currency=currency,
            direction=direction,
            id=id,
            note=note,
            reference=reference,
            status=status,
            transfer_id=transfer_id,
            type_=type_,
            funding_source=funding_source,
            payment_request_id=payment_request_id,
            refund_of=refund_of,
            reversal_of=reversal_of,
            schedule_id=schedule_id,
        )

        transaction.additional_properties = d
        return transaction

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
