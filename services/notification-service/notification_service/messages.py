"""One-time codes sent at once for the auth service (`POST /internal/messages`): phone and
e-mail verification, password reset.

Nothing is stored: the code exists here only while it is handed to the SMS provider or the SMTP
server, and it is never logged (the "log" SMS provider logs no text). Each text holds the code as
its only 6-digit number. The log-only SMS provider cannot deliver a code, so such a message is
refused (503) instead of being lost silently.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from instapay_common.errors import ServiceUnavailable
from notification_service.channels import ChannelError
from notification_service.dispatcher import Channels
from notification_service.profiles import ProfileDirectory
from notification_service.templates import DEFAULT_LANGUAGE

MessageKind = Literal["verify_phone", "verify_email", "password_reset"]

TEXTS: dict[MessageKind, dict[str, tuple[str, str]]] = {
    "verify_phone": {
        "en": ("Your InstaPay code", "Your InstaPay verification code is {code}. It expires in ten minutes."),
        "ar": ("رمز إنستاباي", "رمز التحقق الخاص بك في إنستاباي هو {code}. تنتهي صلاحيته خلال عشر دقائق."),
    },
    "verify_email": {
        "en": (
            "Confirm your e-mail for InstaPay",
            "Your InstaPay e-mail verification code is {code}. It expires in ten minutes.",
        ),
        "ar": (
            "تأكيد بريدك الإلكتروني في إنستاباي",
            "رمز تأكيد بريدك الإلكتروني في إنستاباي هو {code}. تنتهي صلاحيته خلال عشر دقائق.",
        ),
    },
    "password_reset": {
        "en": (
            "Reset your InstaPay password",
            "Your InstaPay password reset code is {code}. It expires in ten minutes. "
            "If you did not ask for it, ignore this message; your password stays as it is.",
        ),
        "ar": (
            "إعادة تعيين كلمة مرور إنستاباي",
            "رمز إعادة تعيين كلمة مرور إنستاباي هو {code}. تنتهي صلاحيته خلال عشر دقائق. "
            "إن لم تطلبه فتجاهل هذه الرسالة؛ كلمة المرور لم تتغير.",
        ),
    },
}


@dataclass(frozen=True)
class CodeMessage:
    user_id: uuid.UUID
    channel: Literal["phone", "email"]
    to: str
    kind: MessageKind
    code: str


async def _language(profiles: ProfileDirectory, user_id: uuid.UUID) -> str:
    profile = await profiles.get(user_id)  # None when unavailable: the message goes in English
    return profile.language if profile is not None and profile.language in ("en", "ar") else DEFAULT_LANGUAGE


async def send_code_message(
    message: CodeMessage, *, channels: Channels, profiles: ProfileDirectory, sms_can_deliver: bool
) -> None:
    """Sends the message now; 503 when the channel cannot take it."""
    language = await _language(profiles, message.user_id)
    subject, body = TEXTS[message.kind][language]
    text = body.format(code=message.code)
    try:
        if message.channel == "phone":
            if not sms_can_deliver:
                raise ServiceUnavailable("no SMS provider is configured to deliver codes")
            await channels.sms.send(to=message.to, text=text)
        else:
            await channels.mailer.send(to=message.to, subject=subject, body=text, language=language)
    except ChannelError as exc:
        raise ServiceUnavailable("the message could not be sent; try again shortly") from exc
