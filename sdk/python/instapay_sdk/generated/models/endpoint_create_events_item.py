from enum import StrEnum


class EndpointCreateEventsItem(StrEnum):
    PAYMENT_REQUEST_CREATED = "payment_request.created"
    PAYMENT_REQUEST_PAID = "payment_request.paid"
    REFUND_CREATED = "refund.created"
    TOPUP_COMPLETED = "topup.completed"
    TRANSFER_RECEIVED = "transfer.received"
    TRANSFER_SENT = "transfer.sent"
    WITHDRAWAL_COMPLETED = "withdrawal.completed"
    WITHDRAWAL_FAILED = "withdrawal.failed"

    def __str__(self) -> str:
        return str(self.value)
