"""Domain errors of the user service (codes from the API contract)."""

from instapay_common.errors import Conflict, NotFound


class EmailTaken(Conflict):
    code, title = "email_taken", "This e-mail is already registered"


class PhoneTaken(Conflict):
    code, title = "phone_taken", "This phone number is already registered"


class HandleTaken(Conflict):
    code, title = "handle_taken", "This handle is taken"


class ProfileNotFound(NotFound):
    code, title = "user_not_found", "No such user"


class RecipientNotFound(NotFound):
    code, title = "recipient_not_found", "No user with that handle, phone or e-mail"
