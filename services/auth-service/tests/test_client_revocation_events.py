"""A client deleted by its owner, and every client ended by a password change, each emit
`security.api_client_revoked` (the notification service disables the client's webhook endpoints)."""

from __future__ import annotations

from sqlalchemy import text

LOGIN = "/api/v1/auth/login"
PASSWORD = "Gr8-Secret-Words"


async def _revoked(app_client, uid: str) -> list[dict]:
    async with app_client.app.state.db.sessionmaker() as db:
        rows = await db.execute(
            text(
                "SELECT payload FROM auth.outbox_events WHERE event_type = 'security.api_client_revoked' "
                "AND payload->>'user_id' = :u ORDER BY payload->>'client_id'"
            ),
            {"u": uid},
        )
        return [r[0] for r in rows.all()]


async def test_deleted_and_password_revoked_clients_are_announced(app_client, active_user):
    uid, email = str(active_user["user_id"]), active_user["email"]
    r = await app_client.post(LOGIN, json={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    me = {"Authorization": f"Bearer {r.json()['access_token']}"}

    ids = []
    for name in ("books", "shop", "crm"):
        r = await app_client.post(
            "/api/v1/auth/clients", json={"name": name, "scopes": ["wallet:read"], "password": PASSWORD}, headers=me
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["client_id"])
    assert (await app_client.delete(f"/api/v1/auth/clients/{ids[0]}", headers=me)).status_code == 204
    assert await _revoked(app_client, uid) == [{"user_id": uid, "client_id": ids[0], "reason": "deleted"}]

    r = await app_client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "Even-Better-Words-42"},
        headers=me,
    )
    assert r.status_code == 204, r.text
    events = await _revoked(app_client, uid)
    # The deleted client is not announced again; the two still live are, once each.
    assert sorted((e["client_id"], e["reason"]) for e in events) == sorted(
        [(ids[0], "deleted"), (ids[1], "password_changed"), (ids[2], "password_changed")]
    )
