"""Domain errors of the transaction service, with the contract's codes (see API_CONTRACT.md).

`StoredDecline` marks refusals decided at the ledger (under the account locks): their outcome is
stored under the Idempotency-Key and replayed, unlike validation/auth/PIN refusals.
"""

from instapay_common.errors import DomainError, Forbidden


class StoredDecline(DomainError):
    """A decline reached at the ledger; its answer is kept with the idempotency key."""


class InsufficientFunds(StoredDecline):
    status, code, title = 422, "insufficient_funds", "Insufficient funds"


class LimitExceeded(StoredDecline):
    status, code, title = 422, "limit_exceeded", "Transfer limit exceeded"


class AccountFrozen(StoredDecline):
    status, code, title = 423, "account_frozen", "Account is frozen"


class FundingDeclined(StoredDecline):
    status, code, title = 422, "funding_declined", "The funding provider declined the operation"


class PaymentRequestNotPending(StoredDecline):
    status, code, title = 409, "payment_request_not_pending", "Payment request is no longer pending"


class PaymentRequestExpired(StoredDecline):
    status, code, title = 409, "payment_request_expired", "Payment request has expired"


class PhoneNotVerified(DomainError):
    """Not a stored decline: once the phone is verified, the same Idempotency-Key may be retried."""

    status, code, title = 403, "phone_not_verified", "Verify your phone number before moving money"


class RecipientNotFound(DomainError):
    status, code, title = 404, "recipient_not_found", "Recipient not found"


class SelfTransfer(DomainError):
    status, code, title = 422, "self_transfer", "Cannot send money to yourself"


class CurrencyNotSupported(DomainError):
    status, code, title = 422, "currency_not_supported", "Currency not supported"


class WalletNotFound(DomainError):
    status, code, title = 404, "wallet_not_found", "Wallet not found"


class WalletHasPostings(DomainError):
    status, code, title = 409, "wallet_has_postings", "Wallet has ledger postings and cannot be deleted"


class TransferNotFound(DomainError):
    status, code, title = 404, "not_found", "Transfer not found"


class PaymentRequestNotFound(DomainError):
    status, code, title = 404, "not_found", "Payment request not found"


class PaymentRequestOtherSide(DomainError):
    """The caller is a party to the request, but the other one: they can see it, so a 404 would
    be a lie; non-parties still get 404."""

    status, code, title = 403, "forbidden", "Not your side of this payment request"


class IdempotencyKeyRequired(DomainError):
    status, code, title = 400, "idempotency_key_required", "Idempotency-Key header is required"


class IdempotencyKeyReused(DomainError):
    status, code, title = 422, "idempotency_key_reused", "Idempotency-Key was used with a different request"


class IdempotencyInProgress(DomainError):
    status, code, title = 409, "idempotency_in_progress", "A request with this Idempotency-Key is still running"


class FundingProviderError(DomainError):
    status, code, title = 502, "funding_provider_error", "The funding provider failed; retry later"


class InvalidCursor(DomainError):
    status, code, title = 422, "validation_error", "Invalid cursor"


class InvalidSignature(DomainError):
    status, code, title = 401, "invalid_signature", "The callback signature is missing, wrong or stale"


class InvalidCallback(DomainError):
    status, code, title = 422, "validation_error", "The callback is signed but not understood"


class UnknownProvider(DomainError):
    status, code, title = 404, "not_found", "No such funding provider"


class TransactionNotFound(DomainError):
    status, code, title = 404, "not_found", "Transaction not found"


class PaymentLinkNotFound(DomainError):
    """Unknown, cancelled, another user's, or a token whose signature does not verify: all look
    the same, so a tampered token teaches nothing."""

    status, code, title = 404, "payment_link_not_found", "Payment link not found"


class PaymentLinkExpired(StoredDecline):
    status, code, title = 410, "payment_link_expired", "Payment link has expired"


class PaymentLinkUsed(StoredDecline):
    status, code, title = 409, "payment_link_used", "Payment link was already paid"


class FavouriteNotFound(DomainError):
    status, code, title = 404, "not_found", "Favourite not found"


class FavouriteExists(DomainError):
    status, code, title = 409, "favourite_exists", "This recipient is already a favourite"


class FavouritesFull(DomainError):
    status, code, title = 409, "favourites_full", "Too many favourites"


class RefundExceedsTransfer(StoredDecline):
    """Decided under the original transfer's row lock, so stored with the Idempotency-Key."""

    status, code, title = 422, "refund_exceeds_transfer", "Refunds would exceed what was received"


class TransferNotRefundable(DomainError):
    """The caller's own top-up, withdrawal, refund or reversal: only a transfer received is refunded."""

    status, code, title = 422, "transfer_not_refundable", "Only a transfer you received can be refunded"


class TransferNotDisputable(DomainError):
    status, code, title = 422, "transfer_not_disputable", "This transaction cannot be disputed"


class DisputeAlreadyOpen(DomainError):
    status, code, title = 409, "dispute_already_open", "This transfer already has an open dispute"


class DisputeNotFound(DomainError):
    status, code, title = 404, "not_found", "Dispute not found"


class DisputeNotOpen(DomainError):
    status, code, title = 409, "dispute_not_open", "The dispute is already resolved"


class ReversalInsufficientFunds(DomainError):
    status, code, title = 409, "reversal_insufficient_funds", "The recipient no longer holds the disputed amount"


class NothingToReverse(DomainError):
    status, code, title = 409, "nothing_to_reverse", "The transfer was already given back in full"


class ScheduleNotFound(DomainError):
    status, code, title = 404, "not_found", "Scheduled transfer not found"


class SchedulesFull(DomainError):
    status, code, title = 409, "schedules_full", "Too many scheduled transfers"


class ScheduleFinished(DomainError):
    status, code, title = 409, "schedule_finished", "The scheduled transfer is cancelled or completed"


class ApprovalNotFound(DomainError):
    status, code, title = 404, "approval_not_found", "Approval not found"


class ApprovalNotPending(DomainError):
    """Approved, rejected or expired already: a decision is made once."""

    status, code, title = 409, "approval_not_pending", "The approval is no longer pending"


class ApprovalExpired(DomainError):
    status, code, title = 409, "approval_expired", "The approval has expired; propose the action again"


class SelfApproval(Forbidden):
    """Two-person control: the admin who proposed an action cannot be the one who approves it."""
