"""Identity rules in-process on a real database: weak PINs, the PIN-lock notice, reserved handles,
released phones and e-mails in quarantine, role changes ending sessions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from auth_service.models import Session
from auth_service.pin_policy import pin_problem
from auth_service.repository import quarantine
from auth_service.service import account
from auth_service.service.registration import derive_handle

REGISTER = "/api/v1/auth/register"


@pytest.mark.parametrize(
    "pin", ["000000", "999999", "123456", "654321", "890123", "135791", "121212", "123123", "112233", "147258"]
)
def test_weak_pins(pin):
    assert pin_problem(pin) is not None


@pytest.mark.parametrize("pin", ["482915", "604218", "739201", "246810", "917364"])
def test_pins_that_pass(pin):
    assert pin_problem(pin) is None


async def test_the_fifth_wrong_pin_locks_and_tells_the_owner(app_client, internal_headers, active_user):
    uid = str(active_user["user_id"])
    for _ in range(5):
        r = await app_client.post(
            "/internal/pin/verify", json={"user_id": uid, "pin": "000000"}, headers=internal_headers
        )
        assert r.status_code == 403
    async with app_client.app.state.db.sessionmaker() as db:
        rows = (
            await db.execute(
                text("SELECT event_type, payload FROM auth.outbox_events WHERE payload->>'user_id' = :u"), {"u": uid}
            )
        ).all()
    locked = [payload for kind, payload in rows if kind == "security.pin_locked"]
    assert len(locked) == 1 and locked[0]["lock_minutes"] == 15 and locked[0]["locked_until"]


def _registration(**overrides: str) -> dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    body = {
        "email": f"r.{tag}@example.com",
        "phone": "+2012" + str(uuid.uuid4().int)[:8],
        "password": "Gr8-Secret-Words",
        "full_name": "Rana Samir",
    }
    return {**body, **overrides}


async def test_a_reserved_handle_is_refused_before_anything_is_written(app_client):
    body = _registration(handle="support_2")
    r = await app_client.post(REGISTER, json=body)
    assert r.status_code == 422 and r.json()["code"] == "handle_reserved"
    async with app_client.app.state.db.sessionmaker() as db:
        found = await db.scalar(text("SELECT count(*) FROM auth.credentials WHERE email = :e"), {"e": body["email"]})
    assert found == 0
    assert derive_handle("admin@example.com") == "user"
    assert derive_handle("In.Sta.Pay@example.com") == "user"
    assert derive_handle("mona.h@example.com") == "mona.h"


async def test_a_released_phone_or_email_is_kept_from_newcomers(app_client):
    owner = uuid.uuid4()
    body = _registration()
    until = datetime.now(UTC) + timedelta(days=30)
    async with app_client.app.state.db.sessionmaker() as db:
        await quarantine.quarantine(db, kind="phone", value=body["phone"], user_id=owner, until=until)
        await quarantine.quarantine(db, kind="email", value=body["email"], user_id=owner, until=until)
        await db.commit()
    r = await app_client.post(REGISTER, json={**body, "email": "x" + body["email"]})
    assert r.status_code == 409 and r.json()["code"] == "phone_taken"
    r = await app_client.post(REGISTER, json={**body, "phone": body["phone"][:-1] + "0"})
    assert r.status_code == 409 and r.json()["code"] == "email_taken"
    async with app_client.app.state.db.sessionmaker() as db:
        assert not await quarantine.is_quarantined(db, kind="phone", value=body["phone"], for_user=owner)
        assert await quarantine.is_quarantined(db, kind="phone", value=body["phone"], for_user=uuid.uuid4())
        past = datetime.now(UTC) - timedelta(seconds=1)
        await quarantine.quarantine(db, kind="phone", value=body["phone"], user_id=owner, until=past)
        assert not await quarantine.is_quarantined(db, kind="phone", value=body["phone"])


async def test_a_role_change_ends_the_accounts_login_sessions(app_client, active_user):
    async with app_client.app.state.db.sessionmaker() as db:
        assert await account.change_role(db, email=active_user["email"], role="admin", grant=True) == ["admin"]
        revoked = await db.scalar(select(Session.revoked_reason).where(Session.id == active_user["session_id"]))
        assert revoked == "roles_changed"
        assert await account.change_role(db, email="nobody@example.com", role="admin", grant=True) is None
