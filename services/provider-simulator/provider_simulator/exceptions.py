"""Errors the simulator answers with (problem+json, like every service of the platform)."""

from instapay_common.errors import DomainError


class Unauthenticated(DomainError):
    status, code, title = 401, "unauthenticated", "A valid bearer token is required"


class IdempotencyKeyRequired(DomainError):
    status, code, title = 400, "idempotency_key_required", "Idempotency-Key header (a UUID) is required"


class IdempotencyKeyReused(DomainError):
    status, code, title = 409, "idempotency_key_reused", "Idempotency-Key was used with a different request"


class ProviderUnavailable(DomainError):
    """The provider error of the spec: `error-` references, the `down` and `error_rate` faults."""

    status, code, title = 503, "provider_unavailable", "The provider is unavailable; retry later"


class OperationNotFound(DomainError):
    status, code, title = 404, "not_found", "No operation under this idempotency key"


class InvalidDate(DomainError):
    status, code, title = 422, "validation_error", "The date must be YYYY-MM-DD"
