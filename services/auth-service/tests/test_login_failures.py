"""Failed logins counted per account (any username form), locked past the limit for the rest of
the window, counted again from one after it, and reset by a success."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from auth_service.models import Credential

LOGIN = "/api/v1/auth/login"
PASSWORD = "Gr8-Secret-Words"


async def _failures(app_client, user_id) -> tuple[int, object]:
    async with app_client.app.state.db.sessionmaker() as db:
        row = (
            await db.execute(
                select(Credential.login_failures, Credential.login_failures_since).where(Credential.user_id == user_id)
            )
        ).one()
    return row.login_failures, row.login_failures_since


async def test_failures_lock_the_account_for_the_window_then_count_afresh(app_client, active_user):
    uid, email = active_user["user_id"], active_user["email"]
    for _ in range(3):
        r = await app_client.post(LOGIN, json={"username": email, "password": "Wrong-Password-1"})
        assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
    assert (await _failures(app_client, uid))[0] == 3
    ok = await app_client.post(LOGIN, json={"username": email.upper(), "password": PASSWORD})
    assert ok.status_code == 200, ok.text
    assert await _failures(app_client, uid) == (0, None)  # a success resets the count

    limit = app_client.app.state.auth.settings.login_max_failures
    for _ in range(limit):
        assert (await app_client.post(LOGIN, json={"username": email, "password": "Wrong-2"})).status_code == 401
    locked = await app_client.post(LOGIN, json={"username": email, "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "rate_limited"
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60 + 1
    assert (await _failures(app_client, uid))[0] == limit  # a refused attempt is not counted again

    # The window has passed: the next failure starts a new count at one, the right password works.
    async with app_client.app.state.db.sessionmaker() as db:
        await db.execute(
            update(Credential)
            .where(Credential.user_id == uid)
            .values(login_failures_since=Credential.login_failures_since - timedelta(minutes=16))
        )
        await db.commit()
    assert (await app_client.post(LOGIN, json={"username": email, "password": "Wrong-3"})).status_code == 401
    assert (await _failures(app_client, uid))[0] == 1
    assert (await app_client.post(LOGIN, json={"username": email, "password": PASSWORD})).status_code == 200
