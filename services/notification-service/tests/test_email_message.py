"""The e-mail bytes the mailer sends decode, with a standard parser, to exactly what was rendered:
UTF-8 Arabic subject (RFC 2047) and body, the language header, the envelope sender."""

from email import message_from_bytes, policy

from notification_service.channels.email import Mail, SmtpMailer
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


def test_long_and_multiline_subjects_stay_one_subject_header():
    """A subject over one line is folded into encoded words: it decodes to the same text, and a line
    break inside it (a name with one) never starts a header of its own."""
    mailer = SmtpMailer(NotificationSettings())
    for subject in ("طلب دفع من " + "بدر " * 30, "Payment request from " + "Badr " * 30, "Hi\r\nBcc: eve@example.com"):
        raw = mailer._message(to="bob@example.com", subject=subject, body="x", language="ar")
        assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"))
        parsed = message_from_bytes(raw, policy=policy.default)
        assert parsed["Bcc"] is None and len(parsed.get_all("Subject")) == 1
        assert parsed["Subject"] == subject


async def test_a_batch_goes_over_reused_sessions_and_a_bad_address_fails_alone(smtp_sink, smtp_port):
    """send_many against the stack's sink: every good message stored once, each with its own
    recipient and text, in the order given; an address that cannot be sent fails only itself."""
    mailer = SmtpMailer(NotificationSettings(smtp_port=smtp_port, smtp_max_connections=2))
    try:
        mails = [Mail(f"user{i}@example.com", f"Notice {i}", f"Body {i}", "en") for i in range(20)]
        mails[5] = Mail("bad\r\nRCPT TO:<eve@example.com>", "Notice 5", "Body 5", "en")
        errors = await mailer.send_many(mails)
        assert [i for i, e in enumerate(errors) if e is not None] == [5]
        again = await mailer.send_many(mails[:2])  # on the sessions kept from the first batch
        assert again == [None, None]
    finally:
        await mailer.close()
    stored = smtp_sink.messages()
    got = sorted((m["X-Sink-Rcpt-To"], m["Subject"], m.get_content().strip()) for m in stored)
    want = sorted(
        [(m.to, m.subject, m.body) for i, m in enumerate(mails) if i != 5]
        + [(m.to, m.subject, m.body) for m in mails[:2]]
    )
    assert got == want
