"""The e-mail bytes the mailer sends decode, with a standard parser, to exactly what was rendered:
UTF-8 Arabic subject (RFC 2047) and body, the language header, the envelope sender."""

from email import message_from_bytes, policy

from notification_service.channels.email import SmtpMailer
from notification_service.config import NotificationSettings


def test_arabic_and_english_messages_round_trip():
    mailer = SmtpMailer(NotificationSettings(smtp_from="InstaPay <no-reply@instapay.local>"))
    assert mailer._envelope_from == "no-reply@instapay.local"
    for subject, body, language in (
        ("استلمت 125.50 EGP", "من بدر س.\nالرصيد: 300.00 EGP", "ar"),
        ("You sent 125.50 EGP", "To Badr X.\nBalance: 300.00 EGP", "en"),
    ):
        raw = mailer._message(to="bob@example.com", subject=subject, body=body, language=language)
        parsed = message_from_bytes(raw, policy=policy.default)
        assert parsed["Subject"] == subject
        assert parsed.get_content().rstrip("\n") == body
        assert parsed["Content-Language"] == language
        assert parsed["To"] == "bob@example.com" and parsed["From"] == "InstaPay <no-reply@instapay.local>"
        assert parsed.get_content_charset() == "utf-8"
        assert raw.isascii(), "7-bit clean on the wire (base64 body, encoded-word subject)"
