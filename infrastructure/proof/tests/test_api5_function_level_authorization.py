"""OWASP API5:2023 Broken Function Level Authorization: admin functions refused to users, API-client
tokens limited to their scopes, internal functions unreachable from outside."""

from __future__ import annotations

import pytest

from instapay_stack.e2e import DEFAULT_PIN, create_api_client, problem

# The wallet admin routes (freeze/unfreeze) are covered in test_money_security.py.
ADMIN_CALLS = [
    ("GET", "/api/v1/admin/reports/overview?from=2026-01-01&to=2026-12-31", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_admin_routes_are_refused_to_users(gw, alice, bob, method, path, body):
    resp = gw.request(method, path.format(victim=bob.user_id), json=body, headers=alice.auth_headers())
    problem(resp, 403, "forbidden")


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_admin_routes_need_a_token(gw, bob, method, path, body):
    problem(gw.request(method, path.format(victim=bob.user_id), json=body), 401, "unauthenticated")


def test_api_client_token_is_limited_to_its_scopes(proof_stack, gw, alice):
    client = create_api_client(proof_stack.gateway_url, alice, ["profile:read"])
    h = {"Authorization": f"Bearer {client['access_token']}"}
    assert gw.get("/api/v1/users/me", headers=h).status_code == 200
    # Outside its scopes: wallet, history, reports, profile changes, and the account's own credentials.
    for method, path, body in [
        ("GET", "/api/v1/reports/summary?from=2026-01-01&to=2026-01-31", None),
        ("PATCH", "/api/v1/users/me", {"full_name": "Hijacked"}),
        ("POST", "/api/v1/auth/clients", {"name": "more", "scopes": ["transfers:write"]}),
        ("PUT", "/api/v1/auth/pin", {"pin": DEFAULT_PIN, "password": "x"}),
        ("GET", "/api/v1/auth/sessions", None),
    ]:
        resp = gw.request(method, path, json=body, headers=h)
        assert resp.status_code == 403, f"{method} {path}: {resp.status_code} {resp.text}"
    assert gw.get("/api/v1/users/me", headers=alice.auth_headers()).json()["full_name"] != "Hijacked"


def test_client_cannot_grant_itself_more_scopes_than_exist(proof_stack, gw, alice):
    resp = gw.post("/api/v1/auth/clients", json={"name": "x", "scopes": ["admin", "*"]}, headers=alice.auth_headers())
    problem(resp, 422, "validation_error")
    token = create_api_client(proof_stack.gateway_url, alice, ["reports:read"])["access_token"]
    resp = gw.get(
        "/api/v1/admin/reports/overview",
        params={"from": "2026-01-01", "to": "2026-01-31"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 403, resp.text
