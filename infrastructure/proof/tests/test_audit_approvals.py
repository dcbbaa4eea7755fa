"""Issue 21 against the running stack (real roles, real gateway): the audit chains cannot be
changed by the services' own database roles, an owner's edit is caught by verification, admin
actions need two admins, and the gateway's audit log shows every service's rows."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import asyncpg
import pytest

from instapay_common.db.roles import SCHEMAS
from instapay_stack.e2e import TestUser, login, make_admin, problem, register_user

AUDITED = {"auth": "auth", "transaction": "ledger", "notification": "notifications"}


async def _run(url: str, sql: str) -> object:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def admins(proof_stack) -> tuple[TestUser, TestUser]:
    return (
        make_admin(proof_stack, register_user(proof_stack.gateway_url)),
        make_admin(proof_stack, register_user(proof_stack.gateway_url)),
    )


@pytest.mark.parametrize("service", sorted(AUDITED))
def test_a_services_own_role_may_append_and_read_its_audit_log_but_never_change_it(proof_stack, service):
    schema = AUDITED[service]
    assert SCHEMAS[service] == schema
    url = proof_stack.roles.url(proof_stack.role_names.service(service))
    assert asyncio.run(_run(url, f"SELECT count(*) FROM {schema}.audit_log")) is not None
    for sql in (
        f"UPDATE {schema}.audit_log SET actor = 'someone else'",
        f"DELETE FROM {schema}.audit_log",
        f"TRUNCATE {schema}.audit_log",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            asyncio.run(_run(url, sql))


def _verify(proof_stack) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instapay_common.audit", "verify"],
        env={**os.environ, "DATABASE_URL": proof_stack.config.database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_maker_checker_through_the_gateway_and_the_audit_log_of_every_service(
    gw, proof_stack, admins, alice, bob, mallory
):
    maker, checker = admins
    # Auth rows: a failed and a good sign-in of alice.
    assert gw.post("/api/v1/auth/login", json={"username": alice.email, "password": "not-it-1A!"}).status_code == 401
    login(proof_stack.gateway_url, alice.email, alice.password)

    r = gw.post(
        f"/api/v1/admin/wallets/{bob.user_id}/freeze", json={"reason": "Fraud review"}, headers=maker.auth_headers()
    )
    assert r.status_code == 202 and r.json()["status"] == "pending", r.text
    approval = r.json()["approval_id"]
    path = f"/api/v1/admin/approvals/{approval}/approve"
    problem(gw.post(path, headers=maker.auth_headers()), 403, "forbidden")  # the proposer
    problem(gw.post(path, headers=mallory.auth_headers()), 403, "forbidden")  # not an admin
    assert gw.get("/api/v1/wallet", headers=bob.auth_headers()).json()["status"] == "active"
    r = gw.post(path, headers=checker.auth_headers())
    assert r.status_code == 200 and r.json()["result"]["status"] == "frozen", r.text
    assert gw.get("/api/v1/wallet", headers=bob.auth_headers()).json()["status"] == "frozen"
    problem(gw.post(path, headers=checker.auth_headers()), 409, "approval_not_pending")

    r = gw.post(f"/api/v1/admin/wallets/{bob.user_id}/unfreeze", json={"reason": "ok"}, headers=maker.auth_headers())
    assert r.status_code == 202
    late = r.json()["approval_id"]
    asyncio.run(
        _run(
            proof_stack.config.database_url,
            f"UPDATE ledger.approvals SET expires_at = now() - interval '1 second' WHERE id = '{late}'",
        )
    )
    problem(gw.post(f"/api/v1/admin/approvals/{late}/approve", headers=checker.auth_headers()), 409, "approval_expired")
    pending = gw.get("/api/v1/admin/approvals", params={"status": "expired"}, headers=checker.auth_headers()).json()
    assert late in [a["approval_id"] for a in pending["items"]]

    # The public audit log: rows of the transaction service about bob, of the auth service by alice.
    r = gw.get("/api/v1/admin/audit", params={"subject": bob.user_id}, headers=checker.auth_headers())
    assert r.status_code == 200, r.text
    about_bob = [(e["service"], e["action"]) for e in r.json()["items"]]
    assert about_bob[:3] == [
        ("transaction", "wallet.unfreeze.proposed"),
        ("transaction", "wallet.freeze.approved"),
        ("transaction", "wallet.freeze.proposed"),
    ]
    r = gw.get("/api/v1/admin/audit", params={"actor": alice.user_id, "action": "auth"}, headers=maker.auth_headers())
    assert {e["action"] for e in r.json()["items"]} >= {"auth.sign_in", "auth.pin_changed"}
    assert {e["service"] for e in r.json()["items"]} == {"auth"}
    r = gw.get(
        "/api/v1/admin/audit", params={"action": "auth.sign_in_failed", "limit": 5}, headers=maker.auth_headers()
    )
    assert any(e["subject"] == alice.user_id and e["ip"] for e in r.json()["items"])
    problem(gw.get("/api/v1/admin/audit", headers=mallory.auth_headers()), 403, "forbidden")


def test_verification_passes_on_the_intact_chains_and_names_an_edited_row(proof_stack, admins, bob):
    done = _verify(proof_stack)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["auth", "transaction", "notification"]

    # The schema's owner (the migrator) can rewrite a row; the chain shows it.
    owner = proof_stack.roles.url(proof_stack.role_names.migrator)
    target = asyncio.run(_run(owner, "SELECT min(id) FROM auth.audit_log"))
    original = asyncio.run(_run(owner, f"SELECT actor FROM auth.audit_log WHERE id = {target}"))
    asyncio.run(_run(owner, f"UPDATE auth.audit_log SET actor = 'nobody' WHERE id = {target}"))
    try:
        broken = _verify(proof_stack)
        assert broken.returncode == 1
        assert f"auth: BROKEN at row {target}: its contents do not match its hash" in broken.stdout
        assert "transaction: ok" in broken.stdout
    finally:
        asyncio.run(_run(owner, f"UPDATE auth.audit_log SET actor = '{original}' WHERE id = {target}"))
    assert _verify(proof_stack).returncode == 0
