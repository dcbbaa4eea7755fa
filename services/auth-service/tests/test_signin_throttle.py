"""Sign-in throttling in the auth service: failures counted on the account whatever username form,
a growing delay past the free ones (429 with Retry-After, the right password included), no lock
that outlasts the delay, forgiveness with quiet time, a success starting afresh, and each attempt
reserved before the password is checked (a parallel burst counts in full)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import delete, select, update

from auth_service.models import SigninAttempt
from auth_service.service.sessions import now
from auth_service.service.signin_throttle import account_key

LOGIN = "/api/v1/auth/login"
PASSWORD = "Gr8-Secret-Words"


async def _row(app_client, key: str) -> tuple[int, object] | None:
    async with app_client.app.state.db.sessionmaker() as db:
        row = (
            await db.execute(
                select(SigninAttempt.failures, SigninAttempt.last_failure_at).where(SigninAttempt.key == key)
            )
        ).first()
    return None if row is None else (row.failures, row.last_failure_at)


async def _age(app_client, key: str, seconds: float) -> None:
    """Moves the key's last failure back in time (what waiting would do)."""
    async with app_client.app.state.db.sessionmaker() as db:
        await db.execute(
            update(SigninAttempt)
            .where(SigninAttempt.key == key)
            .values(last_failure_at=SigninAttempt.last_failure_at - timedelta(seconds=seconds))
        )
        await db.commit()


async def test_delay_grows_past_the_free_failures_and_never_outlasts_itself(app_client, active_user):
    uid, email = active_user["user_id"], active_user["email"]
    key = account_key(uid)
    settings = app_client.app.state.auth.settings
    free = settings.signin_account_free_failures
    for _ in range(free):
        r = await app_client.post(LOGIN, json={"username": email, "password": "Wrong-Password-1"})
        assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
    # The next failure is still checked, and starts a delay of 1 s.
    assert (await app_client.post(LOGIN, json={"username": email, "password": "Wrong-2"})).status_code == 401
    inside = await app_client.post(LOGIN, json={"username": email.upper(), "password": PASSWORD})
    assert inside.status_code == 429 and inside.json()["code"] == "rate_limited"
    assert int(inside.headers["retry-after"]) == 1
    assert (await _row(app_client, key))[0] == free + 1  # a refused attempt is not counted

    # Past the delay, one more failure doubles it.
    await _age(app_client, key, 1.5)
    assert (await app_client.post(LOGIN, json={"username": email, "password": "Wrong-3"})).status_code == 401
    doubled = await app_client.post(LOGIN, json={"username": email, "password": PASSWORD})
    assert doubled.status_code == 429 and int(doubled.headers["retry-after"]) == 2

    # Once it has run out the right password passes, and the account starts afresh.
    await _age(app_client, key, 2.5)
    ok = await app_client.post(LOGIN, json={"username": email, "password": PASSWORD})
    assert ok.status_code == 200, ok.text
    row = await _row(app_client, key)
    assert row is None or row[0] == 0, row  # a success holds nothing against the account


async def test_the_delay_is_capped_and_quiet_time_forgives(app_client, active_user):
    uid, email = active_user["user_id"], active_user["email"]
    key = account_key(uid)
    settings = app_client.app.state.auth.settings
    async with app_client.app.state.db.sessionmaker() as db:
        await db.execute(SigninAttempt.__table__.insert().values(key=key, failures=60, last_failure_at=now()))
        await db.commit()
    capped = await app_client.post(LOGIN, json={"username": email, "password": PASSWORD})
    assert capped.status_code == 429
    assert int(capped.headers["retry-after"]) <= settings.signin_max_delay_seconds
    # An hour of quiet forgives one failure; many hours, all of them.
    await _age(app_client, key, settings.signin_account_forgive_seconds * 61)
    assert (await app_client.post(LOGIN, json={"username": email, "password": "Wrong-4"})).status_code == 401
    assert (await _row(app_client, key))[0] == 1


async def test_a_parallel_burst_is_reserved_before_hashing(app_client, active_user):
    email = active_user["email"]
    free = app_client.app.state.auth.settings.signin_account_free_failures
    answers = await asyncio.gather(
        *(app_client.post(LOGIN, json={"username": email, "password": f"Wrong-{i}"}) for i in range(12))
    )
    statuses = [r.status_code for r in answers]
    assert set(statuses) == {401, 429}, statuses
    # Every attempt that was checked had been counted first: at most the free ones and the one
    # that starts the delay get through, and the account's count is exactly the attempts checked.
    assert statuses.count(401) <= free + 1, statuses
    assert (await _row(app_client, account_key(active_user["user_id"])))[0] == statuses.count(401)


async def test_guessing_across_many_names_from_one_address_is_delayed_per_address(settings):
    """A spray of one password each over many names, from one address: the address's own count
    delays it (a few free failures here; 30 by default, 1500 in the test environment)."""
    from auth_service.main import build_app
    from instapay_stack.testing import running_app

    app = build_app(settings.model_copy(update={"signin_address_free_failures": 3}))
    async with running_app(app) as client:
        async with app.state.db.sessionmaker() as db:  # earlier tests failed from this address too
            await db.execute(delete(SigninAttempt).where(SigninAttempt.key == "address:127.0.0.1"))
            await db.commit()
        statuses = [
            (
                await client.post(
                    LOGIN, json={"username": f"sprayed.{uuid.uuid4().hex[:8]}@example.com", "password": "Summer-2026!"}
                )
            ).status_code
            for _ in range(6)
        ]
    assert statuses[:4] == [401] * 4, statuses
    assert 429 in statuses[4:], statuses


async def test_parallel_right_passwords_all_sign_in(app_client, active_user):
    """Sign-ins that wait for one another's row lock (two tabs, or people behind one NAT): one
    that read the clock first and got the rows last saw a later stamp from the one before it, and
    one whose row a success had deleted found none. With no failure due, none may wait, and none
    may fail: as many at once as the account's free attempts all sign in."""
    email = active_user["email"]
    free = app_client.app.state.auth.settings.signin_account_free_failures
    answers = await asyncio.gather(
        *(app_client.post(LOGIN, json={"username": email, "password": PASSWORD}) for _ in range(free))
    )
    assert [r.status_code for r in answers] == [200] * free, [r.text for r in answers if r.status_code != 200]


async def test_the_delay_follows_the_failures_quiet_time_left(settings):
    """An address quiet for ten minutes (one failure forgiven a minute) waits what its remaining
    failures ask, not the cap its total once earned."""
    from auth_service.main import build_app
    from instapay_stack.testing import running_app

    app = build_app(settings.model_copy(update={"signin_address_free_failures": 3}))
    async with running_app(app) as client:
        async with app.state.db.sessionmaker() as db:
            await db.execute(delete(SigninAttempt).where(SigninAttempt.key == "address:127.0.0.1"))
            # 15 failures earned the 15-minute cap; 10 quiet minutes leave 5, a 2-second delay.
            await db.execute(
                SigninAttempt.__table__.insert().values(
                    key="address:127.0.0.1", failures=15, last_failure_at=now() - timedelta(minutes=10)
                )
            )
            await db.commit()
        answer = await client.post(
            LOGIN, json={"username": f"quiet.{uuid.uuid4().hex[:8]}@example.com", "password": "Summer-2026!"}
        )
        assert answer.status_code == 401, answer.text  # checked, not refused for five more minutes
        async with app.state.db.sessionmaker() as db:
            await db.execute(delete(SigninAttempt).where(SigninAttempt.key == "address:127.0.0.1"))
            await db.commit()
