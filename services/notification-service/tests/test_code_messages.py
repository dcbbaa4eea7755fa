"""`POST /internal/messages`: one-time codes sent at once for the auth service (and only for it),
in the user's language, the code the text's only 6-digit number, nothing stored, nothing logged."""

from __future__ import annotations

import re
import uuid

from instapay_stack.smtp_sink import read_mailbox
from instapay_stack.testing import internal_headers
from instapay_stack.tokens import TestIssuer
from notification_service.config import NotificationSettings

AUTH = internal_headers("auth")
SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")


def _message(user: dict, **overrides: str) -> dict:
    return {
        "user_id": user["user_id"],
        "channel": "phone",
        "to": user["phone"],
        "kind": "verify_phone",
        "code": "482913",
        **overrides,
    }


async def test_sms_code_goes_out_at_once_in_the_users_language(service, users, tmp_path):
    user = users.add("nour", language="ar")
    r = await service.client.post("/internal/messages", json=_message(user), headers=AUTH)
    assert r.status_code == 202, r.text
    [sms] = list((tmp_path / "sms").glob("*.txt"))
    content = sms.read_text(encoding="utf-8")
    assert f"To: {user['phone']}" in content.splitlines()
    assert SIX_DIGITS.findall(content) == ["482913"] and "إنستاباي" in content
    # Nothing is kept: no notification row, no delivery row.
    listed = await service.client.get("/api/v1/notifications", headers=service.auth(user["user_id"]))
    assert listed.json()["items"] == []


async def test_email_code_and_reset_code(service, users, smtp_sink, mail_dir):
    user = users.add("omar")
    for kind, code in (("verify_email", "104729"), ("password_reset", "000417")):
        body = _message(user, channel="email", to=user["email"], kind=kind, code=code)
        assert (await service.client.post("/internal/messages", json=body, headers=AUTH)).status_code == 202
    # By recipient: the dispatcher also sends what other tests left due in the shared database.
    mails = [m for m in read_mailbox(mail_dir) if m["To"] == user["email"]]
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in mails]
    assert sorted(SIX_DIGITS.findall(t)[0] for t in texts) == ["000417", "104729"]
    assert all(len(SIX_DIGITS.findall(t)) == 1 for t in texts)


async def test_only_the_auth_service_sends_codes_and_bad_bodies_are_refused(service, users):
    user = users.add("salma")
    r = await service.client.post("/internal/messages", json=_message(user), headers=internal_headers("relay"))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert (await service.client.post("/internal/messages", json=_message(user))).status_code == 401
    for bad in ({"code": "12345"}, {"code": "abcdef"}, {"kind": "marketing"}, {"channel": "pigeon"}):
        r = await service.client.post("/internal/messages", json=_message(user, **bad), headers=AUTH)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", bad


async def test_a_log_only_sms_provider_cannot_deliver_codes(make_settings, serve_app, users):
    """The log provider logs no text, so a code sent through it would go nowhere while looking
    sent: 503 instead, in every environment."""
    user = users.add("karim")
    async with serve_app(make_settings(sms_provider="log"), TestIssuer()) as svc:
        refused = await svc.client.post("/internal/messages", json=_message(user), headers=AUTH)
    assert refused.status_code == 503 and refused.json()["code"] == "service_unavailable"


def test_codes_go_only_through_a_provider_that_delivers_them():
    assert NotificationSettings(environment="development", sms_provider="file").sms_can_deliver_codes
    assert NotificationSettings(environment="development", sms_provider="http").sms_can_deliver_codes
    assert not NotificationSettings(environment="development", sms_provider="log").sms_can_deliver_codes
    production = NotificationSettings(environment="production", sms_provider="file", **_production_secrets())
    assert not production.sms_can_deliver_codes


def _production_secrets() -> dict[str, str]:
    return {
        "internal_secret_notification": "n" + uuid.uuid4().hex + uuid.uuid4().hex,
        "internal_secret_relay": "r" + uuid.uuid4().hex + uuid.uuid4().hex,
        "internal_secret_auth": "a" + uuid.uuid4().hex + uuid.uuid4().hex,
    }
