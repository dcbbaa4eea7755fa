"""The auth service's audit chain: sign-ins (and failures, known account or not), password and
PIN changes, a PIN lock, API clients and role changes are rows, written with the change itself;
the chain verifies, and the service's admin route shows them to admins only."""

from __future__ import annotations

import uuid

from instapay_common.audit import chain
from instapay_common.db import rawsql

LOGIN = "/api/v1/auth/login"
PASSWORD = "Gr8-Secret-Words"


async def _rows(app_client, **filters: str) -> list[chain.AuditRow]:
    async with rawsql.connection(app_client.app.state.db) as conn:
        return await chain.page(chain.RawRunner(conn), "auth", chain.AuditFilter(**filters), limit=50)


async def _login(app_client, email: str, password: str = PASSWORD) -> dict[str, str]:
    r = await app_client.post(LOGIN, json={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def test_account_security_actions_are_audited(app_client, internal_headers, active_user):
    uid, email = str(active_user["user_id"]), active_user["email"]
    assert (await app_client.post(LOGIN, json={"username": email, "password": "Wrong-Password-1"})).status_code == 401
    ghost = f"ghost-{uuid.uuid4().hex[:8]}@example.com"
    assert (await app_client.post(LOGIN, json={"username": ghost, "password": "Wrong-2"})).status_code == 401
    me = await _login(app_client, email)
    r = await app_client.put("/api/v1/auth/pin", json={"pin": "482915", "password": PASSWORD}, headers=me)
    assert r.status_code == 204, r.text
    r = await app_client.post(
        "/api/v1/auth/clients", json={"name": "books", "scopes": ["wallet:read"], "password": PASSWORD}, headers=me
    )
    assert r.status_code == 201, r.text
    client_id = r.json()["client_id"]
    assert (await app_client.delete(f"/api/v1/auth/clients/{client_id}", headers=me)).status_code == 204
    for _ in range(5):
        r = await app_client.post(
            "/internal/pin/verify", json={"user_id": uid, "pin": "000000"}, headers=internal_headers
        )
        assert r.status_code == 403
    r = await app_client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "Even-Better-Words-42"},
        headers=me,
    )
    assert r.status_code == 204, r.text

    rows = await _rows(app_client, subject=uid)
    assert [(r.action, r.actor, r.actor_role) for r in reversed(rows)] == [
        ("auth.sign_in_failed", "anonymous", "anonymous"),
        ("auth.sign_in", uid, "user"),
        ("auth.pin_changed", uid, "user"),
        ("auth.client_created", uid, "user"),
        ("auth.client_deleted", uid, "user"),
        ("auth.pin_locked", uid, "user"),
        ("auth.password_changed", uid, "user"),
    ]
    by_action = {r.action: r for r in rows}
    assert by_action["auth.client_created"].details == {
        "client_id": client_id,
        "name": "books",
        "scopes": ["wallet:read"],
    }
    assert by_action["auth.sign_in"].details["session_id"] and by_action["auth.pin_changed"].details == {
        "first_time": False
    }
    # No secret ever reaches the log.
    assert all(PASSWORD not in str(r.details) and "482915" not in str(r.details) for r in rows)
    # An unknown name: a failure with no subject.
    unknown = [r for r in await _rows(app_client, action="auth.sign_in_failed") if r.subject is None]
    assert unknown

    # A role change by the operator command; then an admin reads the service's rows.
    from auth_service.service import account

    async with app_client.app.state.db.sessionmaker() as db:
        assert await account.change_role(db, email=email, role="admin", grant=True) == ["admin"]
    changed = (await _rows(app_client, subject=uid, action="auth.role_changed"))[0]
    assert (changed.actor, changed.actor_role, changed.details["roles"]) == ("system", "operator", ["admin"])
    admin = await _login(app_client, email, "Even-Better-Words-42")
    r = await app_client.get("/admin/audit", headers=admin, params={"subject": uid, "limit": 2})
    assert r.status_code == 200 and [e["action"] for e in r.json()["items"]] == ["auth.sign_in", "auth.role_changed"]
    assert (await app_client.get("/admin/audit", headers=me)).status_code in (401, 403)

    async with rawsql.connection(app_client.app.state.db) as conn:
        assert (await chain.verify(chain.RawRunner(conn), "auth")).ok
