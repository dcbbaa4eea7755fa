"""Domain errors of the auth service (codes from the API contract), answered as problem+json."""

from instapay_common.errors import Conflict, DomainError, Forbidden, NotFound, Unauthenticated


class InvalidCredentials(Unauthenticated):
    code, title = "invalid_credentials", "Wrong username or password"


class InvalidPassword(Forbidden):
    """The current password given to confirm a sensitive change is wrong (the caller stays logged in)."""

    code, title = "invalid_password", "The password is not correct"


class InvalidRefreshToken(Unauthenticated):
    code, title = "invalid_refresh_token", "The refresh token is invalid, expired or revoked"


class InvalidClient(Unauthenticated):
    code, title = "invalid_client", "Unknown client or wrong client secret"


class SessionRevoked(Unauthenticated):
    code, title = "unauthenticated", "This session has ended; log in again"


class UnsupportedGrantType(DomainError):
    status, code, title = 400, "unsupported_grant_type", "Unsupported grant_type"


class UnsupportedMediaType(DomainError):
    status, code, title = 415, "unsupported_media_type", "Unsupported request body type"


class InvalidRequest(DomainError):
    status, code, title = 400, "invalid_request", "Invalid token request"


class WeakPassword(DomainError):
    status, code, title = 422, "weak_password", "Password too weak"


class SessionNotFound(NotFound):
    code, title = "session_not_found", "No such session"


class ClientNotFound(NotFound):
    code, title = "client_not_found", "No such API client"


class WeakPin(DomainError):
    status, code, title = 422, "weak_pin", "PIN too easy to guess"


class TooManyClients(DomainError):
    status, code, title = 422, "too_many_clients", "Too many API clients"


class PinNotSet(Forbidden):
    code, title = "pin_not_set", "Set a transaction PIN first"


class InvalidPin(Forbidden):
    code, title = "invalid_pin", "Wrong PIN"


class PinLocked(DomainError):
    status, code, title = 423, "pin_locked", "Too many wrong PINs; try again later"


class UserNotFound(NotFound):
    code, title = "user_not_found", "No such user"


class InvalidScope(DomainError):
    status, code, title = 400, "invalid_scope", "Requested scope is outside the client's grant"


class InvalidCode(DomainError):
    status, code, title = 422, "invalid_code", "The code is not correct"


class CodeExpired(DomainError):
    status, code, title = 422, "code_expired", "The code has expired; ask for a new one"


class AlreadyVerified(Conflict):
    code, title = "already_verified", "This is already verified"
