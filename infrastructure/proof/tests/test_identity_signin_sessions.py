"""Issue 18, sign-in, sessions, streams and enumeration: each test is one path found in review.

Sign-in throttling (auth service): no hard lock the right password cannot pass, a growing delay per
account and per address counted on the resolved account whatever form was typed, the same answers
for unknown names, every attempt reserved before the password is checked. `/auth/token` reads
exactly one form. Recipient resolutions share one budget per user. Sessions: the web app's refresh
token stays in the httpOnly cookie, concurrent refreshes get one pair, sessions end after 30 days,
refresh has its own limit. Streams: 5 per user, ended by revocation and token expiry.

Each test signs in from its own loopback addresses (127.0.<n>.x), so the per-address counters of
one test never reach another.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from proof_support.tokens import Forger
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from instapay_common.db.database import normalize_async_url
from instapay_stack.e2e import create_api_client, login, problem, register_user

LOGIN = "/api/v1/auth/login"
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
LOOKUP = "/api/v1/users/lookup"
STREAM = "/api/v1/notifications/stream"
WEB = {"X-Refresh-Transport": "cookie"}


def _from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=20)


def _attempt(url: str, address: str, username: str, password: str) -> httpx.Response:
    with _from(address) as client:
        return client.post(url + LOGIN, json={"username": username, "password": password})


def _execute(database_url: str, sql: str, **params: object) -> None:
    async def run() -> None:
        engine = create_async_engine(normalize_async_url(database_url))
        try:
            async with engine.begin() as conn:
                await conn.execute(text(sql), params)
        finally:
            await engine.dispose()

    asyncio.run(run())


# --- sign-in --------------------------------------------------------------------------------------


def test_wrong_passwords_never_lock_out_the_right_password(proof_stack):
    """Ten wrong passwords used to lock the account for 15 minutes even against the right one:
    now each failure past the free ones only delays the next attempt (1 s, 2 s, 4 s...), and the
    owner who waits out the Retry-After signs in."""
    url = proof_stack.gateway_url
    victim = register_user(url, pin=None)
    waited = 0.0
    failures = 0
    while failures < 10:
        resp = _attempt(url, f"127.0.40.{2 + failures}", victim.email, f"Wrong-guess-{failures}!")
        if resp.status_code == 429:
            problem(resp, 429, "rate_limited")
            delay = int(resp.headers["retry-after"])
            assert delay <= 16, f"the delay after {failures} failures is {delay} s"
            time.sleep(delay)
            waited += delay
            continue
        problem(resp, 401, "invalid_credentials")
        failures += 1
    right = _attempt(url, "127.0.40.30", victim.email, victim.password)
    if right.status_code == 429:
        delay = int(right.headers["retry-after"])
        assert delay <= 16, f"the right password waits {delay} s after 10 failures"
        time.sleep(delay)
        right = _attempt(url, "127.0.40.30", victim.email, victim.password)
    assert right.status_code == 200, right.text
    assert waited < 60


def test_username_forms_count_on_one_account_and_unknown_names_answer_alike(proof_stack):
    """10 failures as `alice` then one as `@alice` answered 429 for a real account and 401 for an
    unknown one. Every form of a real account (e-mail, phone, handle) counts on the account, an
    unknown name on its normalised form: the answers are the same for both. Each name gets six
    wrong passwords in rotating forms (the five free failures and the one that starts the first,
    1-second delay), then at once one more as `@name`: that one falls inside the delay for both.
    Each attempt comes from its own address, so only the account count is in play."""
    url = proof_stack.gateway_url
    real = register_user(url, pin=None)
    ghost = "ghost." + secrets.token_hex(5)
    real_forms = [real.handle, real.email, real.phone, real.handle.upper()]
    ghost_forms = [ghost, "@" + ghost, ghost.upper(), "@" + ghost.upper()]

    def answers(forms: list[str], last: str, net: int) -> list[tuple[int, str | None]]:
        seen = []
        for i in range(7):
            name = forms[i % 4] if i < 6 else last
            r = _attempt(url, f"127.0.{net}.{2 + i}", name, f"Wrong-guess-{i}!")
            seen.append((r.status_code, r.json().get("code")))
        return seen

    existing = answers(real_forms, "@" + real.handle, 41)
    unknown = answers(ghost_forms, "@" + ghost, 42)
    expected = [(401, "invalid_credentials")] * 6 + [(429, "rate_limited")]
    assert existing == expected, existing
    assert unknown == expected, unknown


def test_a_parallel_burst_of_guesses_is_counted(proof_stack):
    """The failure count was read without a lock before hashing, and the gateway counted after the
    answer: 20 guesses sent at once were all checked. Each attempt is now reserved first."""
    url = proof_stack.gateway_url
    victim = register_user(url, pin=None)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(lambda i: _attempt(url, f"127.0.43.{2 + i}", victim.email, f"Wrong-guess-{i}!"), range(20))
        )
    statuses = [r.status_code for r in answers]
    assert set(statuses) <= {401, 429}, statuses
    # 5 free failures, then the 6th starts a delay: everything else waits.
    assert statuses.count(401) <= 6, statuses


def test_token_endpoint_reads_one_form_only(proof_stack, gw):
    """The gateway read the first `username` of the form and FastAPI the last; multipart bodies
    were not read by the gateway at all. Repeated fields and other body types are refused."""
    user = register_user(proof_stack.gateway_url, pin=None)
    body = f"grant_type=password&username=nobody.{secrets.token_hex(4)}&username={user.handle}&password={user.password}"
    dup = gw.post(TOKEN, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    refused = problem(dup, 422, "validation_error")
    assert any(e["field"] == "username" for e in refused["errors"]), refused
    multipart = gw.post(
        TOKEN,
        files={"grant_type": (None, "password"), "username": (None, user.handle), "password": (None, user.password)},
    )
    problem(multipart, 415, "unsupported_media_type")
    as_json = gw.post(TOKEN, json={"grant_type": "password", "username": user.handle, "password": user.password})
    problem(as_json, 415, "unsupported_media_type")
    # The one form the endpoint takes still works.
    ok = gw.post(TOKEN, data={"grant_type": "password", "username": user.handle, "password": user.password})
    assert ok.status_code == 200, ok.text


# --- enumeration ----------------------------------------------------------------------------------


def _unknown_phone() -> str:
    return "+2012" + "".join(secrets.choice("0123456789") for _ in range(8))


def test_recipient_resolutions_share_one_budget_per_user(proof_stack, gw):
    """Each API client had its own quota and a user could create many; transfers and payment
    requests answered 404 or success. Now every resolution of a new recipient, by any route and
    any token of the user, counts on one per-user budget (30 a minute)."""
    url = proof_stack.gateway_url
    user = register_user(url)
    reader = create_api_client(url, user, ["profile:read", "transfers:write"], name="reader")
    sender = create_api_client(url, user, ["transfers:write"], name="sender")
    statuses = []
    for i in range(30):
        if i % 3 == 0:
            resp = gw.get(LOOKUP, params={"q": _unknown_phone()}, headers=user.auth_headers())
        elif i % 3 == 1:
            resp = gw.get(
                LOOKUP, params={"q": _unknown_phone()}, headers={"Authorization": f"Bearer {reader['access_token']}"}
            )
        else:
            resp = gw.post(
                "/api/v1/transfers",
                json={"recipient": _unknown_phone(), "amount": "1.00"},
                headers={"Authorization": f"Bearer {sender['access_token']}", "Idempotency-Key": uuid.uuid4().hex},
            )
        statuses.append(resp.status_code)
    assert set(statuses) == {404}, statuses
    over = gw.post(
        "/api/v1/payment-requests", json={"payer": _unknown_phone(), "amount": "5.00"}, headers=user.auth_headers()
    )
    problem(over, 429, "rate_limited")
    assert int(over.headers["retry-after"]) > 0
    # A second user is not affected.
    other = register_user(url)
    assert gw.get(LOOKUP, params={"q": _unknown_phone()}, headers=other.auth_headers()).status_code == 404


def _principal_remaining(resp: httpx.Response) -> int:
    for item in resp.headers["ratelimit"].split(","):
        name, _, params = item.strip().partition(";")
        if name == '"principal"':
            return int(dict(p.split("=") for p in params.split(";"))["r"])
    raise AssertionError(resp.headers["ratelimit"])


def test_api_clients_of_one_user_share_the_users_quota(proof_stack, gw):
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    first = create_api_client(url, user, ["wallet:read"], name="one")
    second = create_api_client(url, user, ["wallet:read"], name="two")
    a = gw.get("/api/v1/wallet", headers={"Authorization": f"Bearer {first['access_token']}"})
    b = gw.get("/api/v1/wallet", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert a.status_code == b.status_code == 200
    assert _principal_remaining(b) < _principal_remaining(a)


# --- sessions -------------------------------------------------------------------------------------


def test_the_web_app_gets_the_refresh_token_only_in_the_httponly_cookie(proof_stack):
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    with httpx.Client(base_url=url, timeout=20) as browser:
        signed_in = browser.post(LOGIN, json={"username": user.email, "password": user.password}, headers=WEB)
        assert signed_in.status_code == 200, signed_in.text
        assert "refresh_token" not in signed_in.json()
        cookie = signed_in.headers["set-cookie"]
        assert "instapay_refresh=" in cookie and "httponly" in cookie.lower()
        refreshed = browser.post(REFRESH, json={}, headers=WEB)
        assert refreshed.status_code == 200, refreshed.text
        assert "refresh_token" not in refreshed.json() and refreshed.json()["access_token"]
    # API clients and the OAuth form still receive it in the body (contract).
    assert login(url, user.email, user.password)["refresh_token"].startswith("iprt_")


def test_concurrent_refreshes_of_one_token_get_the_same_pair_then_reuse_revokes(proof_stack, gw):
    """Two tabs refreshing at once revoked the whole session. Within the grace period every
    refresh of the same token gets the same new pair; after it, reuse revokes the session."""
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    token = login(url, user.email, user.password)["refresh_token"]
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def refresh() -> None:
        resp = gw.post(REFRESH, json={"refresh_token": token})
        with lock:
            results.append(resp)

    threads = [threading.Thread(target=refresh) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [200] * 5, [r.text for r in results]
    pairs = {(r.json()["access_token"], r.json()["refresh_token"]) for r in results}
    assert len(pairs) == 1
    (access, successor) = pairs.pop()
    assert gw.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access}"}).status_code == 200
    time.sleep(11)  # past the 10 s grace
    problem(gw.post(REFRESH, json={"refresh_token": token}), 401, "invalid_refresh_token")
    problem(gw.post(REFRESH, json={"refresh_token": successor}), 401, "invalid_refresh_token")


def test_sessions_end_30_days_after_sign_in_whatever_their_use(proof_stack, gw):
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    token = login(url, user.email, user.password)["refresh_token"]
    token = gw.post(REFRESH, json={"refresh_token": token}).json()["refresh_token"]
    # Backdate the sign-in: the session was used a moment ago, but began 30 days and a minute ago.
    _execute(
        proof_stack.config.database_url,
        "UPDATE auth.sessions SET created_at = now() - interval '30 days 1 minute' "
        "WHERE user_id = :u AND client_id IS NULL",
        u=uuid.UUID(user.user_id),
    )
    problem(gw.post(REFRESH, json={"refresh_token": token}), 401, "invalid_refresh_token")


def test_refresh_has_its_own_per_session_limit_and_not_the_sign_in_quota(proof_stack):
    """Refresh counted against the 30-a-minute per-address sign-in quota: behind a carrier-grade
    NAT the 31st person opening the app in a minute could not restore their session."""
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    token = login(url, user.email, user.password)["refresh_token"]
    with _from("127.0.44.2") as client:
        first = client.post(url + REFRESH, json={"refresh_token": token})
        assert first.status_code == 200, first.text
        assert '"ip-auth"' not in first.headers["ratelimit-policy"]
        token = first.json()["refresh_token"]
        statuses = []
        for _ in range(25):
            resp = client.post(url + REFRESH, json={"refresh_token": token})
            statuses.append(resp.status_code)
            if resp.status_code != 200:
                break
            token = resp.json()["refresh_token"]
    assert statuses[-1] == 429, statuses
    problem(resp, 429, "rate_limited")
    assert int(resp.headers["retry-after"]) > 0
    # Other sessions, same address: unaffected.
    other = login(url, user.email, user.password)["refresh_token"]
    with _from("127.0.44.2") as client:
        assert client.post(url + REFRESH, json={"refresh_token": other}).status_code == 200


def test_sign_in_sets_a_readable_session_hint_and_logout_clears_it(proof_stack):
    """The web app asks for a refresh only when this hint says a session may exist (no 401 on a
    first visit). The hint holds no secret: the token stays in the httpOnly cookie."""
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    with httpx.Client(base_url=url, timeout=20) as browser:
        signed_in = browser.post(LOGIN, json={"username": user.email, "password": user.password}, headers=WEB)
        hint = [c for c in signed_in.headers.get_list("set-cookie") if c.startswith("instapay_session=")]
        assert hint and "httponly" not in hint[0].lower(), hint
        assert re.search(r"(?i)path=/(;|$)", hint[0]), hint
        assert user.password not in hint[0] and "iprt_" not in hint[0]
        out = browser.post(
            LOGOUT, json={}, headers={**WEB, "Authorization": f"Bearer {signed_in.json()['access_token']}"}
        )
        assert out.status_code == 204
        cleared = [c for c in out.headers.get_list("set-cookie") if c.startswith("instapay_session=")]
        assert cleared and ("max-age=0" in cleared[0].lower() or "1970" in cleared[0]), cleared


# --- streams --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forger(proof_stack):
    return Forger(proof_stack)


def test_at_most_five_streams_per_user(proof_stack):
    url = proof_stack.gateway_url
    user = register_user(url, pin=None)
    with httpx.Client(base_url=url, timeout=20) as client:
        opened = []
        try:
            for _ in range(5):
                ctx = client.stream("GET", STREAM, headers=user.auth_headers())
                resp = ctx.__enter__()
                opened.append(ctx)
                assert resp.status_code == 200
            with client.stream("GET", STREAM, headers=user.auth_headers()) as sixth:
                if sixth.status_code == 200:
                    pytest.fail("a sixth stream of one user was admitted")
                sixth.read()
                problem(sixth, 429, "rate_limited")
                assert int(sixth.headers["retry-after"]) > 0
        finally:
            for ctx in opened:
                ctx.__exit__(None, None, None)
        # Closed streams free their slots.
        deadline = time.monotonic() + 5
        while True:
            with client.stream("GET", STREAM, headers=user.auth_headers()) as again:
                if again.status_code == 200:
                    break
            assert time.monotonic() < deadline, "slots not freed after the streams closed"
            time.sleep(0.2)


def _stream_ends_within(url: str, headers: dict[str, str], action, seconds: float) -> float:
    """Opens a stream, runs `action`, and returns how long the stream lasted after it."""
    ended = threading.Event()
    opened = threading.Event()

    def read() -> None:
        with (
            httpx.Client(base_url=url, timeout=httpx.Timeout(5, read=seconds + 30)) as client,
            client.stream("GET", STREAM, headers=headers) as resp,
        ):
            assert resp.status_code == 200
            opened.set()
            for _ in resp.iter_bytes():
                pass
        ended.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert opened.wait(10)
    start = time.monotonic()
    action()
    assert ended.wait(seconds), f"the stream was still open {seconds} s later"
    return time.monotonic() - start


def test_a_stream_ends_when_its_session_is_revoked(proof_stack, gw):
    user = register_user(proof_stack.gateway_url, pin=None)
    _stream_ends_within(
        proof_stack.gateway_url,
        user.auth_headers(),
        lambda: gw.post(LOGOUT, json={}, headers=user.auth_headers()).raise_for_status(),
        seconds=6,
    )


def test_a_stream_ends_when_its_token_expires(proof_stack, forger):
    user = register_user(proof_stack.gateway_url, pin=None)
    short = forger.sign(forger.claims(user, exp=int(time.time()) + 3))
    _stream_ends_within(proof_stack.gateway_url, {"Authorization": f"Bearer {short}"}, lambda: None, seconds=8)
