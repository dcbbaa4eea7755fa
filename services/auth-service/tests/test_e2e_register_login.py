"""Registration and login through the gateway with every real service (contract: Auth)."""

import statistics
import time

import httpx
import jwt
import pytest

from instapay_stack.e2e import claims_of, problem, register_user, unique_identity
from instapay_stack.testing import internal_headers

STRONG = "Nile-River-42x"


@pytest.fixture
def gw(stack):
    with httpx.Client(base_url=stack.gateway_url, timeout=20) as client:
        yield client


def test_register_creates_login_profile_and_wallet(gw, stack):
    body = {**unique_identity(), "password": STRONG}
    r = gw.post("/api/v1/auth/register", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert set(created) == {"user_id", "email", "phone", "handle"}
    assert created["handle"] == body["handle"] and created["email"] == body["email"]
    tokens = gw.post("/api/v1/auth/login", json={"username": body["email"], "password": STRONG}).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = gw.get("/api/v1/users/me", headers=auth)
    assert me.status_code == 200 and me.json()["user_id"] == created["user_id"]
    # The wallet exists: the transaction service's idempotent create answers 200 "already there".
    wallet = httpx.post(
        stack.url_of("transaction") + "/internal/wallets",
        json={"user_id": created["user_id"]},
        headers=internal_headers("auth", stack.env),
        timeout=10,
    )
    assert wallet.status_code == 200, wallet.text


def test_register_duplicates_and_bad_input(gw):
    first = register_user(gw.base_url.__str__().rstrip("/"), pin=None)
    fresh = unique_identity()
    cases = [
        ({**fresh, "email": first.email.upper()}, 409, "email_taken"),
        ({**fresh, "phone": first.phone}, 409, "phone_taken"),
        ({**fresh, "handle": first.handle}, 409, "handle_taken"),
    ]
    for body, status, code in cases:
        problem(gw.post("/api/v1/auth/register", json={**body, "password": STRONG}), status, code)
    for weak in ("password123", "Password1!", "short1!A", "alllowercaseletters", "qwertyuiop123"):
        problem(gw.post("/api/v1/auth/register", json={**unique_identity(), "password": weak}), 422, "weak_password")
    for field, value in (
        ("phone", "0100123456"),  # the local form has 11 digits (01001234567 is accepted)
        ("phone", "02001234567"),  # and is a mobile number (01...)
        ("phone", "+20 100 123"),
        ("email", "not-an-email"),
        ("handle", "No Caps"),
        ("handle", "ab"),
        ("handle", "x" * 31),
        ("full_name", ""),
    ):
        body = problem(
            gw.post("/api/v1/auth/register", json={**unique_identity(), "password": STRONG, field: value}),
            422,
            "validation_error",
        )
        assert body["errors"][0]["field"] == field
    problem(
        gw.post("/api/v1/auth/register", json={**unique_identity(), "password": STRONG, "roles": ["admin"]}),
        422,
        "validation_error",
    )
    # nothing of the refused attempts is left: the same identity registers fine afterwards
    assert gw.post("/api/v1/auth/register", json={**fresh, "password": STRONG}).status_code == 201


def test_handle_derived_from_email_when_missing(gw):
    ident = unique_identity()
    ident.pop("handle")
    r1 = gw.post("/api/v1/auth/register", json={**ident, "password": STRONG})
    assert r1.status_code == 201, r1.text
    assert r1.json()["handle"] == ident["email"].split("@")[0]
    # the same local part at another domain gets a different, still valid handle
    other = {**unique_identity(), "email": ident["email"].replace("example.com", "example.org")}
    other.pop("handle")
    r2 = gw.post("/api/v1/auth/register", json={**other, "password": STRONG})
    assert r2.status_code == 201, r2.text
    assert r2.json()["handle"] != r1.json()["handle"] and r2.json()["handle"].startswith(r1.json()["handle"])


def test_login_by_email_phone_handle_and_token_shape(gw, stack):
    user = register_user(str(gw.base_url).rstrip("/"), pin=None)
    jwks = gw.get("/.well-known/jwks.json").json()
    assert all("d" not in k for k in jwks["keys"])
    for username in (user.email, user.phone, user.handle, "@" + user.handle):
        r = gw.post("/api/v1/auth/login", json={"username": username, "password": user.password})
        assert r.status_code == 200, (username, r.text)
        body = r.json()
        assert body["token_type"] == "bearer" and 0 < body["expires_in"] <= 900 and body["refresh_token"]
        header, claims = claims_of(body["access_token"])
        assert header["alg"] == "EdDSA" and header["typ"] == "at+jwt" and header["kid"]
        assert claims["sub"] == user.user_id and claims["exp"] - claims["iat"] <= 900
        assert {"sid", "scope", "roles", "iss", "aud", "jti"} <= set(claims)
        key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
        verified = jwt.decode(body["access_token"], jwt.PyJWK(key).key, algorithms=["EdDSA"], audience=claims["aud"])
        assert verified["sub"] == user.user_id
        assert "account:manage" in claims["scope"].split() and claims["roles"] == []


def test_wrong_password_and_unknown_user_same_answer_same_time(gw):
    user = register_user(str(gw.base_url).rstrip("/"), pin=None)
    known, unknown = [], []
    for i in range(4):
        for bucket, username in ((known, user.email), (unknown, f"ghost{i}.{user.handle}@example.com")):
            t0 = time.perf_counter()
            r = gw.post("/api/v1/auth/login", json={"username": username, "password": "Wrong-Password-9"})
            bucket.append(time.perf_counter() - t0)
            body = problem(r, 401, "invalid_credentials")
            assert body["detail"] == "Wrong username or password"
    # Both run one argon2id verification: the medians are of the same order (no user enumeration).
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.33 < ratio < 3, (known, unknown)  # without the dummy hash it is ~0.1
    problem(gw.post("/api/v1/auth/login", json={"username": user.email}), 422, "validation_error")


def test_token_endpoint_grants(gw):
    user = register_user(str(gw.base_url).rstrip("/"), pin=None)
    r = gw.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": user.handle, "password": user.password}
    )
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    refreshed = gw.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": r.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != r.json()["refresh_token"]
    problem(
        gw.post(
            "/api/v1/auth/token", data={"grant_type": "password", "username": user.email, "password": "Nope-Nope-123"}
        ),
        401,
        "invalid_credentials",
    )
    problem(gw.post("/api/v1/auth/token", data={"grant_type": "implicit"}), 400, "unsupported_grant_type")
    problem(
        gw.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": "ipc_nobody", "client_secret": "x"},
        ),
        401,
        "invalid_client",
    )
    problem(
        gw.post("/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": "bogus"}),
        401,
        "invalid_refresh_token",
    )


def _metric(text: str, name: str) -> float:
    """Value of one exact series (name with its labels) in Prometheus text format."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.rsplit(" ", 1)[0] == name)


def test_auth_metrics_count_logins_and_registrations(gw, stack):
    def scrape():
        return httpx.get(stack.url_of("auth") + "/metrics", timeout=10).text

    before = scrape()
    user = register_user(stack.gateway_url, pin="135790")  # register + login + PIN set
    gw.post("/api/v1/auth/login", json={"username": user.email, "password": "Not-The-Password-1"})
    httpx.post(
        stack.url_of("auth") + "/internal/pin/verify",
        json={"user_id": user.user_id, "pin": "135790"},
        headers=internal_headers("transaction", stack.env),
        timeout=10,
    )
    after = scrape()
    for series, delta in (
        ('auth_logins_total{outcome="success"}', 1),
        ('auth_logins_total{outcome="invalid_credentials"}', 1),
        ('auth_registrations_total{outcome="success"}', 1),
        ('auth_pin_verifications_total{outcome="success"}', 1),
    ):
        assert _metric(after, series) - _metric(before, series) >= delta, series
    assert 'auth_logins_total{outcome="rate_limited"}' in after and 'auth_logins_total{outcome="locked"}' in after
