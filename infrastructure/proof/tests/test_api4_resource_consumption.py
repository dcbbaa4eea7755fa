"""OWASP API4:2023 Unrestricted Resource Consumption: huge bodies, pages, headers and nesting are
refused with a clear 4xx (never a 5xx), and slow or idle clients are disconnected."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import pytest
from proof_support.answers import is_problem


def test_huge_body_is_refused_before_reaching_a_service(gw, alice):
    big = json.dumps({"full_name": "x" * (2 * 1024 * 1024)})
    resp = gw.patch("/api/v1/users/me", content=big, headers=alice.auth_headers(**{"Content-Type": "application/json"}))
    assert is_problem(resp, 413)["code"] == "payload_too_large"
    # Also when the client lies about the length by streaming chunks (no Content-Length).
    chunks = (b"x" * 65536 for _ in range(40))
    resp = gw.post("/api/v1/auth/register", content=chunks, headers={"Content-Type": "application/json"})
    assert is_problem(resp, 413)["code"] == "payload_too_large"


@pytest.mark.parametrize("limit", ["0", "101", "100000", "-1", "abc", "1e9"])
def test_page_size_is_bounded(gw, alice, limit):
    is_problem(gw.get("/api/v1/notifications", params={"limit": limit}, headers=alice.auth_headers()), 422)


def test_huge_cursor_and_query_are_refused(gw, alice):
    is_problem(gw.get("/api/v1/notifications", params={"cursor": "A" * 5000}, headers=alice.auth_headers()), 422)
    resp = gw.get("/api/v1/users/lookup", params={"q": "a" * 5000}, headers=alice.auth_headers())
    assert 400 <= resp.status_code < 500, resp.status_code


def test_deeply_nested_json_is_a_4xx(gw, alice):
    nested = "[" * 50_000 + "]" * 50_000
    headers = alice.auth_headers(**{"Content-Type": "application/json"})
    resp = gw.patch("/api/v1/users/me", content=nested, headers=headers)
    assert 400 <= resp.status_code < 500, resp.status_code


def test_huge_headers_are_refused(gw, alice):
    resp = gw.get("/api/v1/users/me", headers=alice.auth_headers(**{"X-Padding": "p" * 200_000}))
    assert 400 <= resp.status_code < 500, resp.status_code


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=60)


def _closed_within(sock: socket.socket, seconds: float, drip: bytes | None) -> float | None:
    """Drips `drip` every second (slowloris) or stays idle; seconds until the server hangs up, or None."""
    started = time.monotonic()
    sock.settimeout(1.0)
    while time.monotonic() - started < seconds:
        try:
            data = sock.recv(4096)
            if data == b"" or data.startswith(b"HTTP/1.1 408") or data.startswith(b"HTTP/1.1 400"):
                return time.monotonic() - started
        except TimeoutError:
            pass
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started
        if drip is not None:
            try:
                sock.sendall(drip)
            except (ConnectionResetError, BrokenPipeError):
                return time.monotonic() - started
    return None


def test_slowloris_headers_are_cut_off(proof_stack):
    """A client that never finishes its request headers is disconnected instead of holding a slot forever."""
    sock = _connect(proof_stack.gateway_url)
    try:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        took = _closed_within(sock, 40, b"X-a: b\r\n")
    finally:
        sock.close()
    assert took is not None, "the gateway kept a slowloris connection open for 40 s"


def test_idle_connection_is_closed(proof_stack):
    sock = _connect(proof_stack.gateway_url)
    try:
        took = _closed_within(sock, 40, None)
    finally:
        sock.close()
    assert took is not None, "the gateway kept an idle connection (no request at all) open for 40 s"
