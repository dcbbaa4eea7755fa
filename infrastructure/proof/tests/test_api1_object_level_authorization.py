"""OWASP API1:2023 Broken Object Level Authorization: every id-bearing route answers 404 for an
object of someone else (as if it did not exist, per the contract) and changes nothing."""

from __future__ import annotations

import uuid

from proof_support.answers import not_found
from proof_support.waiting import wait_for

from instapay_stack.e2e import create_api_client, login


def _notifications(gw, user):
    resp = gw.get("/api/v1/notifications", headers=user.auth_headers())
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_someone_elses_session_cannot_be_revoked(gw, alice, mallory):
    sessions = gw.get("/api/v1/auth/sessions", headers=alice.auth_headers()).json()["items"]
    victim = sessions[0]["id"]
    foreign = not_found(gw.delete(f"/api/v1/auth/sessions/{victim}", headers=mallory.auth_headers()))
    # Same answer as for an id that does not exist: nothing tells the attacker the id is real.
    assert foreign == not_found(gw.delete(f"/api/v1/auth/sessions/{uuid.uuid4()}", headers=mallory.auth_headers()))
    # Alice's session still works and mallory's list never shows it.
    assert gw.get("/api/v1/users/me", headers=alice.auth_headers()).status_code == 200
    mine = {s["id"] for s in gw.get("/api/v1/auth/sessions", headers=mallory.auth_headers()).json()["items"]}
    assert victim not in mine


def test_someone_elses_api_client_cannot_be_deleted_or_listed(proof_stack, gw, alice, mallory):
    client = create_api_client(proof_stack.gateway_url, alice, ["wallet:read"], name="alice's app")
    foreign = not_found(gw.delete(f"/api/v1/auth/clients/{client['client_id']}", headers=mallory.auth_headers()))
    assert foreign == not_found(gw.delete(f"/api/v1/auth/clients/{uuid.uuid4()}", headers=mallory.auth_headers()))
    listed = gw.get("/api/v1/auth/clients", headers=mallory.auth_headers()).json()["items"]
    assert client["client_id"] not in {c["client_id"] for c in listed}
    # Alice's client still gets tokens.
    token = gw.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
    )
    assert token.status_code == 200, token.text


def test_someone_elses_notification_cannot_be_read_or_marked(gw, alice, mallory):
    # Alice's login and PIN setup produce notifications once the relay has delivered the events.
    items = wait_for(lambda: _notifications(gw, alice), what="alice's first notifications")
    target = items[0]
    assert target["read_at"] is None
    foreign = not_found(gw.post(f"/api/v1/notifications/{target['id']}/read", headers=mallory.auth_headers()))
    assert foreign == not_found(gw.post(f"/api/v1/notifications/{uuid.uuid4()}/read", headers=mallory.auth_headers()))
    # read-all of mallory must not touch alice's.
    assert gw.post("/api/v1/notifications/read-all", headers=mallory.auth_headers()).status_code == 204
    after = {n["id"]: n for n in _notifications(gw, alice)}
    assert after[target["id"]]["read_at"] is None
    assert target["id"] not in {n["id"] for n in _notifications(gw, mallory)}


def test_identity_headers_from_the_client_are_not_trusted(gw, alice, mallory):
    """Spoofing X-User-Id (the gateway's identity header to services) must not switch the account."""
    resp = gw.get(
        "/api/v1/users/me", headers=mallory.auth_headers(**{"X-User-Id": alice.user_id, "X-Principal": alice.user_id})
    )
    assert resp.status_code == 200
    assert resp.json()["user_id"] == mallory.user_id


def test_refresh_token_of_someone_else_cannot_log_them_out_by_id(gw, alice, mallory):
    """Logout takes a refresh token, not an id: a made-up or foreign-looking one changes nothing."""
    fresh = login(str(gw.base_url).rstrip("/"), alice.email, alice.password)
    resp = gw.post("/api/v1/auth/logout", json={"refresh_token": "x" * 40}, headers=mallory.auth_headers())
    assert resp.status_code in (204, 401), resp.text
    again = gw.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert again.status_code == 200, again.text
