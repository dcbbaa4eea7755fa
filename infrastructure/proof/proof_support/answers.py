"""Assertions on problem+json answers shared by the security suite."""

from __future__ import annotations

from typing import Any

import httpx

LEAK_MARKERS = (
    "Traceback",
    'File "/',
    "sqlalchemy",
    "asyncpg",
    "psycopg",
    "SELECT ",
    "INSERT ",
    "127.0.0.1:",
    "localhost:",
    "password_hash",
    "pin_hash",
    "secret_hash",
)


def is_problem(resp: httpx.Response, status: int) -> dict[str, Any]:
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text[:500]}"
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers["content-type"]
    body = resp.json()
    assert body["status"] == status and body.get("code"), body
    assert_no_leak(resp)
    return body


def not_found(resp: httpx.Response) -> str:
    """A 404 problem whose code says 'not found'; returns the code (compared against a random id's)."""
    body = is_problem(resp, 404)
    assert body["code"].endswith("not_found"), body
    return body["code"]


def assert_no_leak(resp: httpx.Response) -> None:
    text = resp.text
    for marker in LEAK_MARKERS:
        assert marker not in text, f"answer leaks {marker!r}: {text[:500]}"
