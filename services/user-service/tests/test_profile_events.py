"""`user.profile_changed`: written through the outbox in the transaction of the change it describes."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from instapay_stack.testing import internal_headers
from user_service import service
from user_service.schemas import ProfileCreate, ProfilePatch

INTERNAL = internal_headers("auth")  # the auth service: creates, resolves, removes profiles
TRANSACTION = internal_headers("transaction")  # parties: transfers only
_EVENTS = text("SELECT event_type, payload FROM users.outbox_events WHERE payload->>'user_id' = :u ORDER BY seq")


async def events_of(app, user_id, session=None):
    if session is not None:
        return [tuple(r) for r in await session.execute(_EVENTS, {"u": str(user_id)})]
    async with app.state.db.sessionmaker() as own:
        return await events_of(app, user_id, own)


async def test_create_emits_one_event_and_a_retry_none(ctx, new_profile):
    client, _, app = ctx
    body = new_profile(full_name="Mona Adel Hassan")
    assert (await client.post("/internal/users", json=body, headers=INTERNAL)).status_code == 201
    assert (await client.post("/internal/users", json=body, headers=INTERNAL)).status_code == 200
    [(event_type, data)] = await events_of(app, body["user_id"])
    assert event_type == "user.profile_changed"
    assert data == {
        "user_id": body["user_id"],
        "handle": body["handle"],
        "email": body["email"],
        "phone": body["phone"],
        "full_name": "Mona Adel Hassan",
        "display_name": "Mona H.",
        "status": "active",
        "version": data["version"],
        "phone_verified": False,
        "email_verified": False,
    }
    assert isinstance(data["version"], int)


async def test_identity_changes_emit_with_increasing_versions(ctx, new_profile):
    client, issuer, app = ctx
    body = new_profile(full_name="Mona Adel Hassan")
    await client.post("/internal/users", json=body, headers=INTERNAL)
    auth = {"Authorization": "Bearer " + issuer.token(body["user_id"])}
    new_handle = "m" + uuid.uuid4().hex[:10]
    r = await client.patch("/api/v1/users/me", headers=auth, json={"handle": new_handle})
    assert r.status_code == 200, r.text
    # Preferences are not part of the event; the same handle again changes nothing.
    for patch in ({"preferences": {"language": "ar"}}, {"handle": new_handle}, {}):
        assert (await client.patch("/api/v1/users/me", headers=auth, json=patch)).status_code == 200
    r = await client.patch("/api/v1/users/me", headers=auth, json={"full_name": "Mona Samir"})
    assert r.status_code == 200
    assert (await client.delete(f"/internal/users/{body['user_id']}", headers=INTERNAL)).status_code == 204
    assert (await client.delete(f"/internal/users/{body['user_id']}", headers=INTERNAL)).status_code == 204
    assert (await client.post("/internal/users", json=body, headers=INTERNAL)).status_code == 201
    events = [data for _, data in await events_of(app, body["user_id"])]
    assert [(e["handle"], e["full_name"], e["display_name"], e["status"]) for e in events] == [
        (body["handle"], "Mona Adel Hassan", "Mona H.", "active"),
        (new_handle, "Mona Adel Hassan", "Mona H.", "active"),
        (new_handle, "Mona Samir", "Mona S.", "active"),
        (new_handle, "Mona Samir", "Mona S.", "deleted"),
        (body["handle"], "Mona Adel Hassan", "Mona H.", "active"),  # re-created by a resent registration
    ]
    versions = [e["version"] for e in events]
    assert versions == sorted(set(versions)), "strictly increasing, also across delete and re-creation"


class CommitRefused(Exception):
    pass


def refuse_commit(session, seen):
    """Makes `session.commit()` record what its transaction holds, then fail instead of committing."""

    async def commit():
        await session.flush()
        seen.append(
            await session.scalar(
                text("SELECT count(*) FROM users.outbox_events WHERE payload->>'user_id' = :u"), {"u": seen[0]}
            )
        )
        raise CommitRefused

    session.commit = commit


async def test_create_and_its_event_roll_back_together(ctx, new_profile):
    _, _, app = ctx
    body = new_profile(full_name="Mona Adel Hassan")
    seen = [body["user_id"]]
    async with app.state.db.sessionmaker() as session:
        refuse_commit(session, seen)
        with pytest.raises(CommitRefused):
            await service.create_profile(session, data=ProfileCreate(**body))
    assert seen[1] == 1, "exactly one event in the profile's transaction"
    assert await events_of(app, body["user_id"]) == []
    async with app.state.db.sessionmaker() as session:
        assert (
            await session.execute(text("SELECT 1 FROM users.profiles WHERE user_id = :u"), {"u": body["user_id"]})
        ).first() is None


async def test_handle_change_and_its_event_roll_back_together(ctx, new_profile):
    client, _, app = ctx
    body = new_profile(full_name="Mona Adel Hassan")
    await client.post("/internal/users", json=body, headers=INTERNAL)
    seen = [body["user_id"]]
    async with app.state.db.sessionmaker() as session:
        refuse_commit(session, seen)
        with pytest.raises(CommitRefused):
            await service.update_profile(
                session,
                user_id=uuid.UUID(body["user_id"]),
                patch=ProfilePatch(handle="x" + uuid.uuid4().hex[:10]),
                quarantine=timedelta(days=30),
            )
    assert seen[1] == 2, "the creation's event and exactly one for the change"
    assert len(await events_of(app, body["user_id"])) == 1
    async with app.state.db.sessionmaker() as session:
        profile = await service.get_profile(session, user_id=uuid.UUID(body["user_id"]))
    assert profile.handle == body["handle"]


def verification(body, *, version, phone_verified, email_verified=False, phone=None):
    return {
        "phone": phone or body["phone"],
        "email": body["email"],
        "phone_verified": phone_verified,
        "email_verified": email_verified,
        "version": version,
    }


async def test_verification_changes_emit_with_a_new_version_and_a_repeat_does_not(ctx, new_profile):
    """A verified phone or e-mail decides who can be found as a recipient: the directory must hear it."""
    client, _, app = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    url = f"/internal/users/{body['user_id']}/verification"
    for state in (
        verification(body, version=1, phone_verified=True),
        verification(body, version=2, phone_verified=True),  # nothing changed: no event
        verification(body, version=3, phone_verified=True, email_verified=True),
        verification(body, version=2, phone_verified=False),  # older than the state held: ignored
    ):
        assert (await client.put(url, json=state, headers=INTERNAL)).status_code == 204
    events = [data for _, data in await events_of(app, body["user_id"])]
    assert [(e["phone_verified"], e["email_verified"]) for e in events] == [(False, False), (True, False), (True, True)]
    versions = [e["version"] for e in events]
    assert versions == sorted(set(versions))


async def test_directory_export_pages_every_profile_as_the_directory_keeps_it(ctx, new_profile):
    client, _, _ = ctx
    made = [new_profile(full_name="Mona Adel Hassan") for _ in range(3)]
    for body in made:
        await client.post("/internal/users", json=body, headers=INTERNAL)
    first = made[0]
    state = verification(first, version=1, phone_verified=True)
    await client.put(f"/internal/users/{first['user_id']}/verification", json=state, headers=INTERNAL)
    assert (await client.get("/internal/users/directory", headers=INTERNAL)).status_code == 403  # transaction only
    seen: dict[str, dict] = {}
    after = None
    while True:
        params = {"limit": 2, **({"after": after} if after else {})}
        r = await client.get("/internal/users/directory", params=params, headers=TRANSACTION)
        assert r.status_code == 200, r.text
        page = r.json()
        ids = [e["user_id"] for e in page["items"]]
        assert ids == sorted(ids) and not set(ids) & set(seen)
        seen.update({e["user_id"]: e for e in page["items"]})
        if page["next_after"] is None:
            break
        after = page["next_after"]
    entry = seen[first["user_id"]]
    assert entry == {
        "user_id": first["user_id"],
        "handle": first["handle"],
        "phone": first["phone"],  # verified
        "email": None,  # not verified: never copied
        "display_name": "Mona H.",
        "status": "active",
        "version": entry["version"],
    }
    assert seen[made[1]["user_id"]]["phone"] is None


async def test_internal_resolutions_say_when_the_budget_counted_them(ctx, new_profile):
    """The transaction service's directory may answer for the same identifier without a call only
    while the budget would count it as free: the answer says since when."""
    client, _, _ = ctx
    payer, payee = new_profile(), new_profile()
    for body in (payer, payee):
        await client.post("/internal/users", json=body, headers=INTERNAL)
        state = verification(body, version=1, phone_verified=True)
        await client.put(f"/internal/users/{body['user_id']}/verification", json=state, headers=INTERNAL)
    params = {"q": "@" + payee["handle"], "sender_id": payer["user_id"]}
    first = (await client.get("/internal/users/parties", params=params, headers=TRANSACTION)).json()
    again = (await client.get("/internal/users/parties", params=params, headers=TRANSACTION)).json()
    assert first["counted_at"] == again["counted_at"], "a repeat costs nothing and keeps the first count"
    assert {e["user_id"] for e in first["entries"]} == {payer["user_id"], payee["user_id"]}
    r = await client.get(
        "/internal/users/resolve",
        params={"q": payee["phone"], "acting_user_id": payer["user_id"]},
        headers=TRANSACTION,
    )
    assert r.status_code == 200, r.text
    assert r.json()["entry"]["user_id"] == payee["user_id"] and r.json()["counted_at"] is not None
