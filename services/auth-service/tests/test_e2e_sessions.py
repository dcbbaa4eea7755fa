"""Sessions through the gateway: refresh rotation and reuse, cookie, logout, session list/revoke,
password change (contract: Auth)."""

import httpx
import pytest

from instapay_stack.e2e import problem, register_user


@pytest.fixture
def gw(stack):
    with httpx.Client(base_url=stack.gateway_url, timeout=20) as client:
        yield client


def _login(gw, user, **headers):
    r = gw.post("/api/v1/auth/login", json={"username": user.email, "password": user.password}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_refresh_rotates_and_reuse_revokes_the_session(gw, stack):
    user = register_user(stack.gateway_url, pin=None)
    first = user.refresh_token
    r = gw.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 200, r.text
    second = r.json()["refresh_token"]
    assert second != first and r.json()["access_token"] != user.access_token
    # Within the grace period (another tab refreshing at once) the old token gets the same pair.
    twin = gw.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert twin.status_code == 200 and twin.json() == r.json()
    r = gw.post("/api/v1/auth/refresh", json={"refresh_token": second})
    third = r.json()["refresh_token"]
    # Once its successor has been used in turn, the old token again is reuse: the whole session
    # is revoked...
    problem(gw.post("/api/v1/auth/refresh", json={"refresh_token": first}), 401, "invalid_refresh_token")
    # ...so the legitimate newest token is dead too, and the session's access token is refused by auth.
    problem(gw.post("/api/v1/auth/refresh", json={"refresh_token": third}), 401, "invalid_refresh_token")
    problem(
        httpx.get(stack.url_of("auth") + "/api/v1/auth/sessions", headers=_bearer(r.json()["access_token"])),
        401,
        "unauthenticated",
    )
    problem(gw.post("/api/v1/auth/refresh", json={"refresh_token": "iprt_made_up"}), 401, "invalid_refresh_token")


def test_refresh_cookie_for_the_web_app(gw, stack):
    user = register_user(stack.gateway_url, pin=None)
    with httpx.Client(base_url=stack.gateway_url, timeout=20) as browser:
        r = browser.post("/api/v1/auth/login", json={"username": user.email, "password": user.password})
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("instapay_refresh=") and "HttpOnly" in cookie and "Path=/api/v1/auth" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Secure" not in cookie  # the test stack runs with ENVIRONMENT=test over plain http
        # a reload: no body, the cookie carries the refresh token (and rotates)
        again = browser.post("/api/v1/auth/refresh")
        assert again.status_code == 200, again.text
        assert browser.cookies.get("instapay_refresh") == again.json()["refresh_token"]
        out = browser.post("/api/v1/auth/logout", headers=_bearer(again.json()["access_token"]))
        assert out.status_code == 204
        assert 'instapay_refresh=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
        problem(
            browser.post("/api/v1/auth/refresh", json={"refresh_token": again.json()["refresh_token"]}),
            401,
            "invalid_refresh_token",
        )
    problem(gw.post("/api/v1/auth/refresh"), 401, "invalid_refresh_token")


def test_logout_ends_the_session(gw, stack):
    user = register_user(stack.gateway_url, pin=None)
    r = gw.post("/api/v1/auth/logout", json={"refresh_token": user.refresh_token}, headers=user.auth_headers())
    assert r.status_code == 204
    problem(gw.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}), 401, "invalid_refresh_token")
    # the auth service itself refuses the session's access token at once
    problem(
        httpx.get(stack.url_of("auth") + "/api/v1/auth/sessions", headers=user.auth_headers()), 401, "unauthenticated"
    )
    problem(gw.post("/api/v1/auth/logout", json={}), 401, "unauthenticated")


def test_sessions_list_and_revoke_only_own(gw, stack):
    alice = register_user(stack.gateway_url, pin=None)
    bob = register_user(stack.gateway_url, pin=None)
    phone_login = _login(gw, alice, **{"User-Agent": "InstaPay-Android/1.0"})
    listing = gw.get("/api/v1/auth/sessions", headers=alice.auth_headers())
    assert listing.status_code == 200, listing.text
    items = listing.json()["items"]
    assert len(items) == 2 and sum(1 for s in items if s["current"]) == 1
    assert {"id", "created_at", "last_used_at", "user_agent", "ip", "current"} <= set(items[0])
    other = next(s for s in items if not s["current"])
    assert other["user_agent"] == "InstaPay-Android/1.0" and other["ip"]
    # Bob cannot see or revoke Alice's session: 404 as if it did not exist
    problem(gw.delete(f"/api/v1/auth/sessions/{other['id']}", headers=bob.auth_headers()), 404, "session_not_found")
    assert gw.post("/api/v1/auth/refresh", json={"refresh_token": phone_login["refresh_token"]}).status_code == 200
    fresh = gw.get("/api/v1/auth/sessions", headers=alice.auth_headers()).json()["items"]
    other = next(s for s in fresh if not s["current"])
    assert gw.delete(f"/api/v1/auth/sessions/{other['id']}", headers=alice.auth_headers()).status_code == 204
    assert len(gw.get("/api/v1/auth/sessions", headers=alice.auth_headers()).json()["items"]) == 1
    problem(gw.delete(f"/api/v1/auth/sessions/{other['id']}", headers=alice.auth_headers()), 404, "session_not_found")
    problem(gw.delete("/api/v1/auth/sessions/not-a-uuid", headers=alice.auth_headers()), 422, "validation_error")


def test_password_change_revokes_other_sessions(gw, stack):
    user = register_user(stack.gateway_url, pin=None)
    other = _login(gw, user)
    new = "Fresh-Delta-Moon-77"
    problem(
        gw.post(
            "/api/v1/auth/password",
            json={"current_password": "Wrong-Pass-123", "new_password": new},
            headers=user.auth_headers(),
        ),
        403,
        "invalid_password",
    )
    problem(
        gw.post(
            "/api/v1/auth/password",
            json={"current_password": user.password, "new_password": "password1"},
            headers=user.auth_headers(),
        ),
        422,
        "weak_password",
    )
    r = gw.post(
        "/api/v1/auth/password",
        json={"current_password": user.password, "new_password": new},
        headers=user.auth_headers(),
    )
    assert r.status_code == 204, r.text
    problem(
        gw.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}), 401, "invalid_refresh_token"
    )
    assert gw.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}).status_code == 200
    problem(
        gw.post("/api/v1/auth/login", json={"username": user.email, "password": user.password}),
        401,
        "invalid_credentials",
    )
    assert gw.post("/api/v1/auth/login", json={"username": user.email, "password": new}).status_code == 200
