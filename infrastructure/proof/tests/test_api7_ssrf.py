"""OWASP API7:2023 Server Side Request Forgery: no user-supplied URL is ever fetched. Every string
field a client can write gets URLs pointing at a listener of ours; the listener must never be called."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from instapay_stack.e2e import DEFAULT_PASSWORD_PREFIX, unique_identity


@pytest.fixture
def listener():
    """A TCP listener counting every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(1024))
                except OSError:
                    hits.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = sock.getsockname()[1]
    yield port, hits
    stop.set()
    thread.join(2)
    sock.close()


def test_no_user_supplied_url_is_fetched(gw, alice, listener):
    port, hits = listener
    url = f"http://127.0.0.1:{port}/ssrf"
    h = alice.auth_headers()
    attempts = [
        ("PATCH", "/api/v1/users/me", {"full_name": url}),
        ("POST", "/api/v1/auth/clients", {"name": url, "scopes": ["wallet:read"], "password": alice.password}),
        ("GET", f"/api/v1/users/lookup?q={url}", None),
        ("POST", "/api/v1/wallet/topups", {"amount": "10.00", "source": {"type": "card", "reference": url}}),
        (
            "POST",
            "/api/v1/wallet/topups",
            {"amount": "10.00", "source": {"type": "card", "reference": url, "callback_url": url}},
        ),
        (
            "POST",
            "/api/v1/wallet/withdrawals",
            {"amount": "1.00", "destination": {"type": "bank", "reference": url}, "pin": alice.pin},
        ),
        ("POST", "/api/v1/transfers", {"recipient": url, "amount": "1.00", "note": url, "pin": alice.pin}),
        ("POST", "/api/v1/payment-requests", {"payer": url, "amount": "1.00", "note": url}),
        ("GET", f"/api/v1/notifications/stream?callback={url}", None),
    ]
    for i, (method, path, body) in enumerate(attempts):
        headers = {
            **h,
            "Idempotency-Key": f"ssrf-{i}-{time.time_ns()}",
            "Referer": url,
            "X-Forwarded-Host": url,
            "Origin": url,
        }
        if path.endswith("stream?callback=" + url):
            with gw.stream(method, path, headers=headers, timeout=3) as resp:
                assert resp.status_code in (200, 400, 422)
            continue
        resp = gw.request(method, path, json=body, headers=headers)
        assert resp.status_code < 500, f"{method} {path}: {resp.status_code} {resp.text}"
    body = {**unique_identity(), "password": DEFAULT_PASSWORD_PREFIX + "Ssrf1", "full_name": url}
    assert gw.post("/api/v1/auth/register", json=body).status_code < 500
    time.sleep(2)  # room for any asynchronous fetch (event consumers, relays) to show up
    assert hits == [], f"a service fetched a user-supplied URL: {hits}"
