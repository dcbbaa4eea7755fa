"""Domain errors of the user service (codes from the API contract)."""

from instapay_common.errors import NotFound


class ProfileNotFound(NotFound):
    code, title = "user_not_found", "No such user"


class RecipientNotFound(NotFound):
    code, title = "recipient_not_found", "No user with that handle, phone or e-mail"
